using System.Diagnostics;
using System.Globalization;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Drills;

/// <summary>Drill: the fleet repo's git server is killed (SIGKILL to the daemon and to the push's receive-pack) in the
/// middle of a push of <c>up --all-rings</c>, either before the branch moved or just after it moved (the client never
/// hears of it); the server comes back and the next <c>up</c> must finish to the uninterrupted end state, with no
/// stack's commit pushed twice.</summary>
/// <remarks>The kill comes from the repo's own <c>reference-transaction</c> hook, so it lands at an exact point of
/// the push. The drill has its own daemon: killing the shared fixture's would fail other tests.</remarks>
public sealed class GitServerKillDrillTests : IAsyncLifetime
{
    private static readonly string[] UpAll = UninterruptedUp.Args;
    private readonly GitDaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();

    public Task DisposeAsync() => _daemon.DisposeAsync();

    [Theory]
    [InlineData("prepared", 2)]
    [InlineData("committed", 2)]
    [InlineData("committed", 4)]
    public async Task Up_GitServerKilledMidPush_NextUpAfterRestartConvergesWithNoCommitPushedTwice(string phase, int push)
    {
        var expected = await UninterruptedUp.FleetFilesAsync();
        var remote = _daemon.CreateRepo();
        KillServerAt(remote, phase, push);
        using var lab = new LabProject();
        lab.Edit(lab.LabConfig, text => text.Replace("config:\n", $"config:\n  edge-infra:fleetRepo:\n    url: {remote.Url}\n"));
        var daemonPid = _daemon.Pid;

        var killed = await lab.Run(UpAll);
        var daemonDied = !IsRunning(daemonPid);
        // A receive-pack killed after it locked the branch leaves refs/heads/main.lock: git refuses every later push
        // to the branch until the server's operator removes it (git's recovery, not ours), so the restart does that.
        foreach (var stale in Directory.GetFiles(remote.Path, "*.lock", SearchOption.AllDirectories)) File.Delete(stale);
        await _daemon.RestartAsync();
        var next = await lab.Run(UpAll);

        Assert.True(daemonDied, $"the hook never killed the server (push {push}, {phase}). Daemon log:\n{_daemon.Log}");
        Assert.True(killed.ExitCode == 1, killed.ToString());
        Assert.DoesNotContain("Unhandled exception", killed.Error);
        Assert.True(next.ExitCode == 0, next.ToString());
        var clone = Path.Combine(lab.Dir, "inspect.git");
        GitCli.Run(null, "clone", "--bare", "--quiet", remote.Url, clone);
        Assert.Equal(expected, FleetRepoInspector.Files(clone));
        var stacks = FleetRepoInspector.Commits(clone).Select(c => FleetRepoInspector.Trailer(c, "Edge-Stack")).OfType<string>().ToList();
        Assert.Equal(stacks.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), stacks.Order(StringComparer.Ordinal));
        var noChanges = await lab.Run("preview", "--stack", "lab", "--expect-no-changes");
        Assert.True(noChanges.ExitCode == 0, noChanges.ToString());
    }

    /// <summary>Hooks run in the bare repo; their parent is the push's receive-pack.</summary>
    private void KillServerAt(DaemonRepo remote, string phase, int push)
    {
        File.WriteAllText(Path.Combine(remote.Path, "daemon.pid"), _daemon.Pid.ToString(CultureInfo.InvariantCulture));
        var hook = Path.Combine(remote.Path, "hooks", "reference-transaction");
        File.WriteAllText(hook, $$"""
            #!/bin/sh
            [ "$1" = "{{phase}}" ] || exit 0
            n=$(( $(cat pushes 2>/dev/null || echo 0) + 1 )); echo $n > pushes
            [ $n = {{push}} ] || exit 0
            kill -9 $(cat daemon.pid) $PPID
            """.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
    }
}
