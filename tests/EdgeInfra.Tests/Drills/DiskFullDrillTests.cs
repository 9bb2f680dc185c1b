using System.Diagnostics;
using EdgeInfra.Tests.Cli;

namespace EdgeInfra.Tests.Drills;

/// <summary>Drill: the disk fills while <c>up --all-rings</c> writes its state. <c>.edgeinfra/</c> is a small tmpfs
/// in a private mount namespace (<c>unshare -m</c>, root): the run must fail cleanly (exit 1, no crash), and once
/// there is room again the next run must read what it left and finish to the uninterrupted end state.</summary>
/// <remarks>Both runs happen inside the namespace (the tmpfs goes with it); what they left is copied out to compare.
/// With rendered files stored once by content (about 1.5 MB for the whole lab), the sizes put ENOSPC in the first
/// ring's journal (192 KB), in the second ring's checkpoint (1 MB) and in the last ring's journal (1.4 MB), as measured
/// on the lab; <c>bench/drills.sh</c> runs more.</remarks>
public sealed class DiskFullDrillTests
{
    private static readonly string[] UpAll = UninterruptedUp.Args;

    [Theory]
    [InlineData(192)]
    [InlineData(1024)]
    [InlineData(1400)]
    public async Task Up_DiskFillsWhileStateIsWritten_FailsCleanlyAndTheNextRunWithRoomConverges(int kilobytes)
    {
        RequireRoot();
        var expected = await UninterruptedUp.FleetFilesAsync();
        using var lab = new LabProject();
        var state = Path.Combine(lab.Dir, ".edgeinfra");
        var saved = Path.Combine(lab.Dir, "saved");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(saved);
        var up = string.Join(' ', UpAll);

        var namespaced = await RunAsync("unshare", "-m", "--propagation", "private", "sh", "-c", $"""
            mount -t tmpfs -o size={kilobytes}k tmpfs '{state}' || exit 99
            '{CliRunner.AppHost}' {up} --cwd '{lab.Dir}' > '{lab.Dir}/full.log' 2>&1; echo $? > '{lab.Dir}/full.rc'
            mount -o remount,size=64m '{state}'
            '{CliRunner.AppHost}' {up} --cwd '{lab.Dir}' > '{lab.Dir}/room.log' 2>&1; echo $? > '{lab.Dir}/room.rc'
            cp -a '{state}/.' '{saved}/'
            """);
        Directory.Delete(state);
        Directory.Move(saved, state);

        Assert.True(namespaced.ExitCode == 0, namespaced.Output);
        var full = Read(lab, "full");
        var room = Read(lab, "room");
        Assert.True(full.Code == "1", $"with {kilobytes} KB: {full.Log}");
        Assert.Contains("No space left on device", full.Log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", full.Log);
        Assert.True(room.Code == "0", $"after the disk filled at {kilobytes} KB:\n{full.Log}\n--- next run:\n{room.Log}");
        Assert.Equal(expected, FleetRepoInspector.Files(lab.FleetRepo));
        Assert.Empty(Directory.GetFiles(state, "*.journal.jsonl", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(state, ".pulumi"), "*.tmp", SearchOption.AllDirectories));
        var noChanges = await lab.Run("preview", "--stack", "lab", "--expect-no-changes");
        Assert.True(noChanges.ExitCode == 0, noChanges.ToString());
    }

    private static (string Code, string Log) Read(LabProject lab, string run)
    {
        var rc = Path.Combine(lab.Dir, $"{run}.rc");
        return (File.Exists(rc) ? File.ReadAllText(rc).Trim() : "none", File.ReadAllText(Path.Combine(lab.Dir, $"{run}.log")));
    }

    private static void RequireRoot()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("the disk-full drill mounts a tmpfs in a private mount namespace (unshare -m): run the tests as root");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (p.ExitCode, await stdout + await stderr);
    }
}
