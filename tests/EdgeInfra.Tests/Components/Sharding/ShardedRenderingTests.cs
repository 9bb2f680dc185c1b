using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Sharding;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Tests.Components.Sharding;

/// <summary>A sharded stack renders one GitRepo and ClusterGroup per (ring, shard), and bundles per shard.</summary>
public sealed class ShardedRenderingTests
{
    private static readonly string[] Shards = ["shard0", "shard1"];

    /// <summary>The small model with more stores per ring, so that each shard of each ring has some.</summary>
    internal static FleetModel ShardedSmall(params string[] shards)
    {
        var small = TestFleet.Small();
        var sharding = new FleetSharding([.. shards], FleetSharding.DefaultClusterLimit);
        var more = new[]
        {
            TestFleet.Store("store-bud-04", "canary", "central"),
            TestFleet.Store("store-gyr-05", "canary", "central", tier: "satellite"),
            TestFleet.Store("store-lis-06", "early", "south"),
            TestFleet.Store("store-sev-07", "early", "south", zone: "us"),
        };
        return small with
        {
            Stores = [.. small.Stores.Concat(more).Select(sharding.Label)],
            Settings = small.Settings with { Sharding = sharding },
        };
    }

    [Fact]
    public void Render_ShardedSmallModel_MatchesGolden()
    {
        var rendered = RenderedFleet.Of(ShardedSmall(Shards));
        var files = new Dictionary<string, string>(rendered.Files, StringComparer.Ordinal);
        foreach (var stack in rendered.Stacks) files[$"stacks/{stack.Stack}.txt"] = RenderedFleet.Listing(stack);
        Golden.AssertDirectory("Components", "small-sharded", files);
    }

    [Fact]
    public void Render_ShardedSmallModel_EveryShardOfEveryRingHasStoresGitRepoAndGroup()
    {
        var model = ShardedSmall(Shards);
        var files = RenderedFleet.Of(model).Files;
        foreach (var ring in model.Rings.Select(r => r.Name))
            foreach (var shard in Shards)
            {
                var name = $"{ring}-{shard}";
                Assert.Contains(model.StoresInRing(ring), s => s.Label(FleetSharding.StoreShardLabel) == shard);
                var gitRepo = Doc(files[$"hub/gitrepos/{name}.yaml"]);
                Assert.Equal(shard, (string?)gitRepo["metadata"]!["labels"]![FleetSharding.ShardRefLabel]);
                Assert.Equal(name, (string?)gitRepo["spec"]!["targets"]![0]!["clusterGroup"]);
                Assert.Equal([$"apps/pos/{ring}/{shard}", $"apps/signage/{ring}/{shard}"],
                    gitRepo["spec"]!["paths"]!.AsArray().Select(p => (string)p!));
                var group = Doc(files[$"hub/clustergroups/{name}.yaml"]);
                Assert.Null(group["metadata"]!["labels"]![FleetSharding.ShardRefLabel]);
                Assert.Equal(shard, (string?)group["spec"]!["selector"]!["matchLabels"]![FleetSharding.StoreShardLabel]);
                Assert.Equal($"pos-{ring}-{shard}", (string?)Doc(files[$"apps/pos/{ring}/{shard}/fleet.yaml"])["name"]);
            }
        // No unsharded GitRepo is left to deploy the ring to every store a second time.
        Assert.DoesNotContain("hub/gitrepos/canary.yaml", files.Keys);
        Assert.DoesNotContain(files.Keys, k => k.StartsWith("apps/pos/canary/fleet.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShardedSmallModel_SiteOverrideOnlyInItsStoresShardBundle()
    {
        var model = ShardedSmall(Shards);
        var files = RenderedFleet.Of(model).Files;
        var madShard = model.Stores.Single(s => s.Id == "store-mad-03").Label(FleetSharding.StoreShardLabel);
        foreach (var shard in Shards)
        {
            var fleetYaml = files[$"apps/pos/early/{shard}/fleet.yaml"];
            Assert.Equal(shard == madShard, fleetYaml.Contains("store-mad-03", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Render_ShardedSmallModel_ValidatesAgainstFleetSchemasAndLintsClean()
    {
        var model = ShardedSmall(Shards);
        var files = RenderedFleet.Of(model).Files.Where(f => !f.Key.StartsWith(RenderedFleet.DevicesDir, StringComparison.Ordinal)).ToList();
        var errors = files.Where(f => f.Key.EndsWith("/fleet.yaml", StringComparison.Ordinal))
            .SelectMany(f => FleetSchemaValidator.ValidateFleetYaml(f.Value).Select(e => $"{f.Key}: {e}"))
            .Concat(files.Where(f => f.Key.StartsWith("hub/", StringComparison.Ordinal) && !f.Key.EndsWith("fleet.yaml", StringComparison.Ordinal))
                .SelectMany(f => FleetSchemaValidator.ValidateResource(f.Value).Select(e => $"{f.Key}: {e}")))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        foreach (var ring in model.Rings.Select(r => r.Name))
        {
            var ringFiles = files.Where(f => f.Key.Contains($"/{ring}", StringComparison.Ordinal)).Select(f => new RenderedFile(f.Key, f.Value));
            Assert.Empty(FleetLint.LintRendered(ringFiles, model.StoresInRing(ring), Shards));
        }
    }

    [Fact]
    public void Render_UnshardedModel_NoShardLabelAnywhere()
    {
        var files = RenderedFleet.Of(TestFleet.Small()).Files;
        Assert.DoesNotContain(files.Values, f => f.Contains("shard", StringComparison.Ordinal));
    }

    [Fact]
    public void LintGitRepo_ShardTheHubDoesNotRun_IsAFinding()
    {
        var gitRepo = HubRenderer.ShardGitRepo("canary", "shard7", ["pos"], TestFleet.Settings);
        var finding = Assert.Single(FleetLint.LintFile(gitRepo.Path, gitRepo.Content, [], shards: Shards));
        Assert.Equal(LintRules.ShardUnknown, finding.Rule);
        Assert.Contains("shard-ref=shard7", finding.Message, StringComparison.Ordinal);
        Assert.Empty(FleetLint.LintFile(gitRepo.Path, gitRepo.Content, [], shards: ["shard7"]));
    }

    [Theory]
    [InlineData(1_000, 0, 0)]
    [InlineData(1_001, 0, 1)]
    [InlineData(1_001, 2, 0)]
    [InlineData(3_000, 2, 2)]
    public void ShardCapacity_StoresPastTheLimit_WarnsPerController(int stores, int shards, int findings)
    {
        var sharding = new FleetSharding(FleetSharding.Numbered(shards), 1_000);
        var model = TestFleet.Small() with
        {
            Stores = [.. Enumerable.Range(0, stores).Select(i => sharding.Label(TestFleet.Store($"store-{i:D5}", "canary", "central")))],
            Settings = TestFleet.Settings with { Sharding = sharding },
        };
        var found = ShardCapacityLint.Check(model, "Pulumi.prod.yaml");
        Assert.Equal(findings, found.Count);
        Assert.All(found, f => Assert.Equal(LintRules.ShardClusterLimit, f.Rule));
    }

    private static JsonObject Doc(string yaml) => (JsonObject)YamlJsonReader.Read(yaml)!;
}
