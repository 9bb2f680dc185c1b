using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>A real <c>git daemon</c> on a free loopback port, serving bare repos from a temp dir, with push enabled.</summary>
/// <remarks>
/// Shared by the <see cref="GitDaemonCollection"/>; each test makes its own repo with <see cref="CreateRepo"/>, so tests
/// do not depend on each other's data or order. When git-daemon is missing the fixture fails (every test in the
/// collection reports why and which Debian package to install) — it never skips, in CI or anywhere else.
/// </remarks>
public sealed class GitDaemonFixture : IAsyncLifetime
{
    public const string DebianPackage = "git";
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _root = new("edgeinfra-gitd-");
    private readonly StringBuilder _log = new();
    private readonly Func<string?> _findDaemon;
    private Process? _daemon;

    public GitDaemonFixture() : this(FindDaemon) { }

    /// <summary>For the fixture's own tests: a daemon found elsewhere (or not at all).</summary>
    internal GitDaemonFixture(Func<string?> findDaemon) => _findDaemon = findDaemon;

    /// <summary>The directory the daemon serves (its <c>--base-path</c>).</summary>
    public string BaseDir => _root.Path;

    public int Port { get; private set; }

    /// <summary>What the daemon has logged so far (for failure messages).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public async Task InitializeAsync()
    {
        var daemon = _findDaemon();
        if (daemon is null)
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: integration tests must run)" : "";
            throw new InvalidOperationException(
                $"git-daemon is not installed{ci}: install the Debian package '{DebianPackage}' (apt-get install -y {DebianPackage}), " +
                "which provides /usr/lib/git-core/git-daemon; ./test.sh does this when run as root");
        }

        // A port found free can be taken before the daemon binds it; a few attempts make that race harmless.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            _daemon = Start(daemon, Port);
            if (await WaitReadyAsync(_daemon, Port)) return;
            Stop();
            if (attempt == 3)
                throw new InvalidOperationException(
                    $"git daemon did not accept connections on 127.0.0.1:{Port} within {ReadyDeadline.TotalSeconds:0} s " +
                    $"(3 attempts). Its log:\n{Log}");
        }
    }

    /// <summary>The daemon's process id (a drill kills it from inside a push).</summary>
    public int Pid => _daemon?.Id ?? throw new InvalidOperationException("the git daemon is not running");

    /// <summary>Starts the daemon again on the same port, after it was killed: the repos it serves are kept.</summary>
    public async Task RestartAsync()
    {
        Stop();
        _daemon = Start(_findDaemon()!, Port);
        if (!await WaitReadyAsync(_daemon, Port))
            throw new InvalidOperationException($"git daemon did not come back on 127.0.0.1:{Port}. Its log:\n{Log}");
    }

    /// <summary>A new, empty bare repo served by the daemon; its HEAD names <paramref name="branch"/>.</summary>
    public DaemonRepo CreateRepo(string branch = "main")
    {
        var name = $"fleet-{Guid.NewGuid():N}";
        var path = Path.Combine(BaseDir, name + ".git");
        GitCli.Run(null, "init", "-q", "--bare", $"--initial-branch={branch}", path);
        GitCli.Run(path, "config", "daemon.receivepack", "true");
        return new DaemonRepo(path, $"git://127.0.0.1:{Port}/{name}.git", branch);
    }

    public Task DisposeAsync()
    {
        Stop();
        _root.Dispose();
        return Task.CompletedTask;
    }

    private Process Start(string daemon, int port)
    {
        var start = new ProcessStartInfo(daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--reuseaddr", $"--base-path={BaseDir}", "--export-all", "--enable=receive-pack", "--informative-errors",
                     "--verbose", "--log-destination=stderr", "--listen=127.0.0.1", $"--port={port}", BaseDir,
                 })
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Append($"[fixture] started {daemon} on 127.0.0.1:{port} (pid {process.Id})");
        return process;
    }

    private async Task<bool> WaitReadyAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyDeadline)
        {
            if (process.HasExited)
            {
                Append($"[fixture] git daemon exited with {process.ExitCode}");
                return false;
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        Append("[fixture] readiness deadline passed");
        return false;
    }

    private void Stop()
    {
        if (_daemon is null) return;
        try
        {
            if (!_daemon.HasExited)
            {
                _daemon.Kill(entireProcessTree: true);
                _daemon.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _daemon.Dispose();
        _daemon = null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static string? FindDaemon()
    {
        const string debianPath = "/usr/lib/git-core/git-daemon";
        if (File.Exists(debianPath)) return debianPath;
        try
        {
            var execPath = GitCli.Run(null, "--exec-path").Trim();
            var candidate = Path.Combine(execPath, "git-daemon");
            return File.Exists(candidate) ? candidate : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>A bare repo served by the <see cref="GitDaemonFixture"/>: its path on disk and its <c>git://</c> URL.</summary>
public sealed record DaemonRepo(string Path, string Url, string Branch);

/// <summary>The xunit collection of tests that share one <see cref="GitDaemonFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class GitDaemonCollection : ICollectionFixture<GitDaemonFixture>
{
    public const string Name = "git daemon";
}
