using System.Diagnostics;

namespace EdgeInfra.Tests.Cli.BadInput;

/// <summary>SIGINT and SIGTERM sent to a real <c>edgeinfra</c> process mid-run: it stops cleanly with 130/143 and the
/// next run reads the state and finishes.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Theory]
    [InlineData("TERM", 143, "preview")]
    [InlineData("INT", 130, "preview")]
    [InlineData("TERM", 143, "up")]
    [InlineData("INT", 130, "up")]
    public async Task Verb_SignalMidRun_StopsCleanlyAndTheNextRunFinishes(string signal, int exitCode, string verb)
    {
        string[] args = verb == "up"
            ? ["up", "--stack", "lab", "--all-rings", "--yes", "--cwd", _lab.Dir]
            : ["preview", "--stack", "lab", "--cwd", _lab.Dir];
        // With timings on, the first timing line marks the end of config loading: the verb is then mid-run.
        using var process = CliRunner.Start(args, new Dictionary<string, string> { ["EDGEINFRA_TIMINGS"] = "1" });
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var firstTiming = await process.StandardError.ReadLineAsync();
        Assert.StartsWith("timing:", firstTiming);
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;

        Assert.True(process.ExitCode == exitCode, $"exit {process.ExitCode}\n{stderr}");
        Assert.Contains($"interrupted by SIG{signal}", stderr);
        Assert.DoesNotContain("Unhandled", stderr);
        Assert.DoesNotContain("   at ", stderr);

        var rerun = await _lab.Run([.. args.SkipLast(2)]);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        if (verb == "up")
            Assert.Equal(0, (await _lab.Run("preview", "--stack", "lab", "--expect-no-changes")).ExitCode);
    }
}
