using EdgeInfra.Cli;
using EdgeInfra.Tests.Components;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Cli;

/// <summary>What an operator reads on a pull request: the preview of a release bump, an override change and a store
/// moving rings, compared with golden files (EDGEINFRA_UPDATE_GOLDEN=1 rewrites them; review the diff).</summary>
public sealed class PreviewGoldenTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Preview_ReleaseOverrideAndMove_MatchesGolden()
    {
        await ChangeReleaseOverrideAndRingAsync();

        var ring1 = await _lab.Run("preview", "--stack", "lab", "--ring", "retail-region-1", "--diff");
        var ring2 = await _lab.Run("preview", "--stack", "lab", "--ring", "retail-region-2");

        Assert.True(ring1.ExitCode == 0, ring1.ToString());
        Assert.True(ring2.ExitCode == 0, ring2.ToString());
        Golden.AssertDirectory("Cli", "lab-change", new Dictionary<string, string>
        {
            ["preview-retail-region-1-diff.txt"] = ring1.Out,
            ["preview-retail-region-2.txt"] = ring2.Out,
        });
    }

    /// <summary>The pull-request comment of the same change, made at a fixed time so that its rollout estimate and the
    /// override expiring within 30 days (alice's, 2027-01-15) are the same on every run.</summary>
    [Fact]
    public async Task PreviewMarkdown_ReleaseOverrideAndMove_MatchesGolden()
    {
        await ChangeReleaseOverrideAndRingAsync();
        var at = new FakeTimeProvider(new DateTimeOffset(2026, 12, 20, 10, 0, 0, TimeSpan.Zero));

        var all = await RunAt(at, "preview", "--stack", "lab", "--format", "markdown");
        var ring = await RunAt(at, "preview", "--stack", "lab", "--ring", "retail-region-1", "--format", "markdown");

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.True(ring.ExitCode == 0, ring.ToString());
        Golden.AssertDirectory("Cli", "lab-change-markdown", new Dictionary<string, string>
        {
            ["preview-lab.md"] = all.Out,
            ["preview-retail-region-1.md"] = ring.Out,
        });
    }

    private async Task ChangeReleaseOverrideAndRingAsync()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes")).ExitCode);
        Assert.Equal(0, (await _lab.Run("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0")).ExitCode);
        _lab.Edit(_lab.LabConfig, text => text.Replace("logLevel: debug", "logLevel: trace"));
        _lab.Edit(_lab.LabInventory, text =>
        {
            var at = text.IndexOf("id: store-lisbon", StringComparison.Ordinal);
            var i = text.IndexOf("rollout-ring: retail-region-2", at, StringComparison.Ordinal);
            return text[..i] + "rollout-ring: retail-region-1" + text[(i + "rollout-ring: retail-region-2".Length)..];
        });
    }

    private async Task<CliRun> RunAt(TimeProvider time, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--cwd", _lab.Dir], stdout, stderr, time);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }
}
