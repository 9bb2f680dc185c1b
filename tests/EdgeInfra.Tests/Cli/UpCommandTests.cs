using System.Text.Json;

namespace EdgeInfra.Tests.Cli;

public sealed class UpCommandTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Up_LabRing_WritesOneCommitWithTrailers()
    {
        var run = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");

        Assert.True(run.ExitCode == 0, run.ToString());
        var commits = FleetRepoInspector.Commits(_lab.FleetRepo);
        var ringCommit = Assert.Single(commits, c => FleetRepoInspector.Trailer(c, "Edge-Stack") == "lab.retail-region-1");
        Assert.Equal("retail-region-1", FleetRepoInspector.Trailer(ringCommit, "Edge-Ring"));
        Assert.Contains("pos-app=", FleetRepoInspector.Trailer(ringCommit, "Edge-Release"));
        Assert.NotNull(FleetRepoInspector.Trailer(ringCommit, "Edge-Actor"));
        Assert.NotNull(FleetRepoInspector.Trailer(ringCommit, "Edge-Source-Commit"));
        Assert.True(int.Parse(FleetRepoInspector.Trailer(ringCommit, "Edge-Stores")!) > 0);
        var files = FleetRepoInspector.Files(_lab.FleetRepo);
        Assert.Contains("hub/clusters/store-budapest.yaml", files.Keys);
        Assert.Contains("apps/pos-app/retail-region-1/fleet.yaml", files.Keys);
        Assert.DoesNotContain("apps/pos-app/all/fleet.yaml", files.Keys);
    }

    [Fact]
    public async Task Up_SecondTimeUnchanged_MakesNoCommit()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes")).ExitCode);
        var before = FleetRepoInspector.CommitCount(_lab.FleetRepo);

        var run = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("No changes", run.Out);
        Assert.Equal(before, FleetRepoInspector.CommitCount(_lab.FleetRepo));
    }

    [Theory]
    [InlineData("up")]
    [InlineData("destroy")]
    public async Task Verb_StackWithRingsAndNoRingOption_RefusedWithExit2(string verb)
    {
        var run = await _lab.Run(verb, "--stack", "lab", "--yes");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--all-rings", run.Error);
        Assert.False(Directory.Exists(_lab.FleetRepo));
    }

    [Fact]
    public async Task Up_WithoutYesNonInteractive_RefusedWithExit2()
    {
        var run = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--yes", run.Error);
    }

    [Fact]
    public async Task Up_OneSiteOverrideChanged_OneCommitTouchingOnlyThatRingsBundle()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes")).ExitCode);
        var before = FleetRepoInspector.CommitCount(_lab.FleetRepo);
        _lab.Edit(_lab.LabConfig, text => text.Replace("logLevel: debug", "logLevel: trace"));

        var run = await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(before + 1, FleetRepoInspector.CommitCount(_lab.FleetRepo));
        Assert.Equal(["apps/pos-app/retail-region-1/fleet.yaml"], FleetRepoInspector.ChangedPaths(_lab.FleetRepo));
    }

    [Fact]
    public async Task Up_StoreMovedBetweenRings_PreviewShowsMoveAndClusterNeverDisappears()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes")).ExitCode);
        var baseline = FleetRepoInspector.CommitCount(_lab.FleetRepo);
        _lab.Edit(_lab.LabInventory, text => ReplaceFirstAfter(text, "id: store-lisbon", "rollout-ring: retail-region-2", "rollout-ring: retail-region-1"));

        var preview = await _lab.Run("preview", "--stack", "lab", "--json");
        Assert.True(preview.ExitCode == 0, preview.ToString());
        var stacks = JsonDocument.Parse(preview.Out).RootElement.GetProperty("stacks").EnumerateArray().ToList();
        var into = stacks.Single(s => s.GetProperty("stack").GetString() == "lab.retail-region-1");
        var lisbonIn = into.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("store").GetString() == "store-lisbon");
        Assert.Equal("move", lisbonIn.GetProperty("op").GetString());
        var from = stacks.Single(s => s.GetProperty("stack").GetString() == "lab.retail-region-2");
        Assert.Equal("move-out", from.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("store").GetString() == "store-lisbon").GetProperty("op").GetString());

        // The ring the store leaves goes first: the worst order for a naive engine (delete, then create).
        var leave = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-2", "--yes");
        Assert.True(leave.ExitCode == 0, leave.ToString());
        Assert.Contains("hub/clusters/store-lisbon.yaml", FleetRepoInspector.Files(_lab.FleetRepo).Keys);
        var arrive = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.True(arrive.ExitCode == 0, arrive.ToString());
        var cluster = FleetRepoInspector.Files(_lab.FleetRepo)["hub/clusters/store-lisbon.yaml"];
        Assert.Contains("rollout-ring: retail-region-1", cluster);
        var moveCommits = FleetRepoInspector.Commits(_lab.FleetRepo).Take(FleetRepoInspector.CommitCount(_lab.FleetRepo) - baseline).ToList();
        Assert.NotEmpty(moveCommits);
        foreach (var commit in moveCommits)
            Assert.Contains("hub/clusters/store-lisbon.yaml", commit.Files);

        var after = await _lab.Run("preview", "--stack", "lab", "--expect-no-changes");
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    private static string ReplaceFirstAfter(string text, string anchor, string find, string replacement)
    {
        var at = text.IndexOf(anchor, StringComparison.Ordinal);
        var i = text.IndexOf(find, at, StringComparison.Ordinal);
        return text[..i] + replacement + text[(i + find.Length)..];
    }
}
