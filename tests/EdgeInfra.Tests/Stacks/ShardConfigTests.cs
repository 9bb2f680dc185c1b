using EdgeInfra.Components.Sharding;

namespace EdgeInfra.Tests.Stacks;

/// <summary><c>edge-infra:fleet.shards</c> and <c>shardClusterLimit</c>: read, defaulted, refused at their line.</summary>
public sealed class ShardConfigTests
{
    private const string StackFile = "Pulumi.test.yaml";

    private static string WithFleet(string fields) => TempProject.ValidStack.Replace(
        "    repoUrl: https://git.example.com/edge/fleet.git\n", "    repoUrl: https://git.example.com/edge/fleet.git\n" + fields);

    private static int LineOf(string yaml, string marker) => yaml[..yaml.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    [Fact]
    public void Load_NoShards_UnshardedWithDefaultLimitAndNoShardLabel()
    {
        using var project = new TempProject();
        var model = project.Load().Model;
        Assert.Equal(FleetSharding.None, model.Settings.Sharding);
        Assert.Equal(1000, model.Settings.Sharding.ClusterLimit);
        Assert.All(model.Stores, s => Assert.Null(s.Label(FleetSharding.StoreShardLabel)));
    }

    [Fact]
    public void Load_ShardCount_NumberedIdsAndEveryStoreLabelled()
    {
        using var project = new TempProject(WithFleet("    shards: 3\n    shardClusterLimit: 500\n"));
        var model = project.Load().Model;
        Assert.Equal(["shard0", "shard1", "shard2"], model.Settings.Sharding.ShardIds.ToArray());
        Assert.Equal(500, model.Settings.Sharding.ClusterLimit);
        Assert.All(model.Stores, s => Assert.Equal(ShardAssigner.Assign(s.Id, model.Settings.Sharding.ShardIds), s.Label(FleetSharding.StoreShardLabel)));
    }

    [Fact]
    public void Load_ShardList_KeepsTheIds()
    {
        using var project = new TempProject(WithFleet("    shards: [edge-a, edge-b]\n"));
        Assert.Equal(["edge-a", "edge-b"], project.Load().Model.Settings.Sharding.ShardIds.ToArray());
    }

    [Theory]
    [InlineData("    shards: 0\n", "shards: 0", "'0' must be a count of shards from 1 to 64")]
    [InlineData("    shards: many\n", "shards: many", "'many' must be a count of shards")]
    [InlineData("    shards: 65\n", "shards: 65", "from 1 to 64")]
    [InlineData("    shards: []\n", "shards: []", "is an empty list")]
    [InlineData("    shards:\n      - shard-a\n      - Shard_B\n", "- Shard_B", "shard id 'Shard_B' must be a DNS label")]
    [InlineData("    shards:\n      - shard-a\n      - shard-a\n", "- shard-a\n      - shard-a", "shard id 'shard-a' is listed twice")]
    [InlineData("    shards: {a: 1}\n", "shards: {a: 1}", "must be a count of shards or a list of shard ids")]
    [InlineData("    shardClusterLimit: 0\n", "shardClusterLimit: 0", "must be at least 1")]
    [InlineData("    shardClusterLimit: lots\n", "shardClusterLimit: lots", "'lots' is not an integer")]
    public void Load_BadShardConfig_RefusedAtItsLine(string fields, string marker, string message)
    {
        var yaml = WithFleet(fields);
        using var project = new TempProject(yaml);
        var problems = project.Problems();
        var line = LineOf(yaml, marker) + (marker.Contains('\n', StringComparison.Ordinal) ? 1 : 0);
        Assert.True(problems.Any(p => p.StartsWith($"{StackFile}:{line}: ", StringComparison.Ordinal) && p.Contains(message, StringComparison.Ordinal)),
            $"expected at {StackFile}:{line}: {message}\ngot:\n  {string.Join("\n  ", problems)}");
    }

    [Fact]
    public void Load_InventorySetsTheShardLabel_Refused()
    {
        var inventory = TempProject.ValidInventory.Replace("      timezone: Europe.Budapest\n", "      timezone: Europe.Budapest\n      edgeinfra.io/fleet-shard: shard0\n");
        using var project = new TempProject(WithFleet("    shards: 2\n"), inventory);
        Assert.Contains(project.Problems(), p => p.Contains("label 'edgeinfra.io/fleet-shard' is set by EdgeInfra", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MoreStoresThanTheLimitWithoutShards_Warns()
    {
        using var project = new TempProject(WithFleet("    shardClusterLimit: 2\n"));
        var warning = Assert.Single(project.Load().Warnings, w => w.Contains("shard-cluster-limit", StringComparison.Ordinal));
        Assert.Contains("3 stores on one Fleet controller", warning, StringComparison.Ordinal);
        Assert.Contains("edge-infra:fleet.shards to at least 2", warning, StringComparison.Ordinal);
    }
}
