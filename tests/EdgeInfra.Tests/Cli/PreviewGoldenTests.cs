using EdgeInfra.Tests.Components;

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
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes")).ExitCode);
        Assert.Equal(0, (await _lab.Run("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0")).ExitCode);
        _lab.Edit(_lab.LabConfig, text => text.Replace("logLevel: debug", "logLevel: trace"));
        _lab.Edit(_lab.LabInventory, text =>
        {
            var at = text.IndexOf("id: store-lisbon", StringComparison.Ordinal);
            var i = text.IndexOf("rollout-ring: retail-region-2", at, StringComparison.Ordinal);
            return text[..i] + "rollout-ring: retail-region-1" + text[(i + "rollout-ring: retail-region-2".Length)..];
        });

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
}
