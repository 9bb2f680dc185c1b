using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeInfra.Tests.Cli;

/// <summary>Two real <c>edgeinfra up</c> processes on one ring stack: the second is refused, naming the first.</summary>
/// <remarks>The first process is frozen (SIGSTOP) the moment its lock file appears, so the overlap is certain rather
/// than left to timing; it is then thawed and finishes normally.</remarks>
public sealed partial class ConcurrentUpTests
{
    private static readonly string[] UpAll = ["up", "--stack", "lab", "--ring", "all", "--yes"];

    [Fact]
    public async Task Up_SecondWhileFirstHoldsTheRingLock_RefusedWithHolderNameAndFirstFinishes()
    {
        var misses = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            using var lab = new LabProject();
            var lockFile = Path.Combine(lab.Dir, ".edgeinfra", ".pulumi", "locks", "edge-infra", "lab.all.lock.json");
            var checkpoint = Path.Combine(lab.Dir, ".edgeinfra", ".pulumi", "stacks", "edge-infra", "lab.all.json");
            using var first = CliRunner.Start([.. UpAll, "--cwd", lab.Dir]);
            first.StandardInput.Close();
            var firstOut = first.StandardOutput.ReadToEndAsync();
            var firstErr = first.StandardError.ReadToEndAsync();
            if (!FreezeWhenLocked(first, lockFile, checkpoint))
            {
                await first.WaitForExitAsync();
                misses.Add($"attempt {attempt}: first up exited {first.ExitCode} before it was caught; stderr: {await firstErr}");
                // The first run got past its apply before it could be caught: rare, try again with a new project.
                Assert.True(attempt < 5, "could not catch the first up holding the lock:\n" + string.Join("\n", misses));
                continue;
            }
            try
            {
                var second = await CliRunner.RunProcessAsync([.. UpAll, "--cwd", lab.Dir], TimeSpan.FromMinutes(1));

                Assert.Equal(1, second.ExitCode);
                Assert.Contains("stack lab.all is locked by", second.Error);
                Assert.Contains($"pid {first.Id}", second.Error);
            }
            finally
            {
                Signal("CONT", first.Id);
            }
            await first.WaitForExitAsync();
            Assert.True(first.ExitCode == 0, $"{await firstOut}\n{await firstErr}");
            var after = await lab.Run("preview", "--stack", "lab", "--ring", "all", "--expect-no-changes");
            Assert.True(after.ExitCode == 0, after.ToString());
            return;
        }
    }

    /// <summary>Freezes the process while it holds the lock and is still applying: its first checkpoint, written when
    /// the update is done, does not exist yet. Frozen later, a second up would rightly see no changes and not lock.</summary>
    private static bool FreezeWhenLocked(Process process, string lockFile, string checkpoint)
    {
        var deadline = Stopwatch.StartNew();
        // Polls without sleeping: under a loaded test run a 1 ms timer can oversleep the whole apply.
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (!File.Exists(lockFile)) { Thread.Yield(); continue; }
            Signal("STOP", process.Id);
            if (File.Exists(lockFile) && !File.Exists(checkpoint) && !process.HasExited) return true;
            Signal("CONT", process.Id);
            return false;
        }
        return false;
    }

    private static void Signal(string signal, int pid)
    {
        var number = signal switch { "STOP" => SigStop, "CONT" => SigCont, _ => throw new ArgumentOutOfRangeException(nameof(signal)) };
        Assert.True(Kill(pid, number) == 0, $"kill -{signal} {pid} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    // Linux signal numbers; called through libc so the test needs no procps `kill` binary.
    private const int SigCont = 18;
    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
