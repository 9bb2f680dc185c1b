using System.Text.Json;
using EdgeInfra.Tests.Components;

namespace EdgeInfra.Tests.Cli;

public sealed class RehearseCommandTests
{
    /// <summary>Cuts the prod inventory to three stores per ring (and the store a site override names), so a rehearsal runs in seconds.</summary>
    private static LabProject SmallProd()
    {
        var project = new LabProject();
        var path = Path.Combine(project.Dir, "stacks", "prod", "stores.yaml");
        var text = File.ReadAllText(path);
        var head = text[..text.IndexOf("  - id:", StringComparison.Ordinal)];
        var blocks = text[head.Length..].Split("\n  - id:").Select((b, i) => i == 0 ? b : "  - id:" + b).ToList();
        var kept = blocks.GroupBy(b => b.Split("rollout-ring:")[1].Trim().Split('\n')[0]).SelectMany(g => g.Take(3))
            .Union(blocks.Where(b => b.StartsWith("  - id: store-hu-0001", StringComparison.Ordinal)));
        File.WriteAllText(path, head + string.Join("\n", kept.Select(b => b.TrimEnd('\n'))) + "\n");
        return project;
    }

    [Fact]
    public async Task Rehearse_BadInput_ExitsTwoListingEveryProblem()
    {
        using var project = SmallProd();
        var run = await project.Run("rehearse", "--stack", "prod", "--release", "nope=1.0", "--release", "pos-app", "--scenario", "meteor");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unknown app 'nope'", run.Error);
        Assert.Contains("'pos-app': expected app=version", run.Error);
        Assert.Contains("--scenario 'meteor'", run.Error);
    }

    [Theory]
    [InlineData("config:\n  edge-infra:extra: 1\n", "duplicate key 'config'")]
    [InlineData("  edge-infra:broken: [1, 2\n", "invalid YAML")]
    public async Task Rehearse_BrokenStackFile_ExitsTwoNamingTheFileAndLine(string appended, string problem)
    {
        using var project = SmallProd();
        var stackFile = Path.Combine(project.Dir, "Pulumi.prod.yaml");
        File.AppendAllText(stackFile, appended);

        var run = await project.Run("rehearse", "--stack", "prod", "--release", "pos-app=2.5.0");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Matches(@"Pulumi\.prod\.yaml:\d+", run.Error);
        Assert.Contains(problem, run.Error);
        Assert.DoesNotContain("Exception", run.Error);
        Assert.DoesNotContain(project.Dir, run.Error);
    }

    [Fact]
    public async Task Rehearse_SmallProdInventory_MatchesGoldenAndLeavesRealStateUntouched()
    {
        using var project = SmallProd();
        var stackFile = Path.Combine(project.Dir, "Pulumi.prod.yaml");
        var before = File.ReadAllText(stackFile);
        var run = await project.Run("rehearse", "--stack", "prod", "--release", "pos-app=2.5.0", "--seed", "7");
        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        Golden.AssertDirectory("Cli", "rehearse-small-prod", new Dictionary<string, string> { ["out.txt"] = run.Out });
        Assert.Equal(before, File.ReadAllText(stackFile));
        Assert.False(Directory.Exists(Path.Combine(project.Dir, ".edgeinfra")), "the rehearsal wrote into the real state root");
    }

    [Fact]
    public async Task Rehearse_Json_HasRingsRegionsVerdictAndAssumptions()
    {
        using var project = SmallProd();
        var run = await project.Run("rehearse", "--stack", "prod", "--release", "pos-app=2.5.0", "--json");
        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal(["canary", "early", "regional", "all"], root.GetProperty("rings").EnumerateArray().Select(r => r.GetProperty("ring").GetString()));
        Assert.Equal("pos-app=2.5.0,store-baseline=1.0.0", root.GetProperty("proposedRelease").GetString());
        Assert.Equal(run.ExitCode == 0, root.GetProperty("wouldComplete").GetBoolean());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("verdict").GetString()));
        Assert.True(root.GetProperty("regions").GetArrayLength() > 0);
        Assert.True(root.TryGetProperty("windowMisses", out _));
        Assert.True(root.TryGetProperty("offlineStores", out _));
        Assert.Equal(42UL, root.GetProperty("assumptions").GetProperty("seed").GetUInt64());
    }
}
