using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary>Partition construction: Fleet's <c>Test_autoPartition</c> / <c>Test_manualPartition</c> cases and the traps in fleet.md §3.3.</summary>
public sealed class FleetPartitionTests
{
    public static TheoryData<string, int, string?, int?, int[]> AutoCases => new()
    {
        // name, targets, autoPartitionSize ("i:N"/"s:N%"), autoPartitionThreshold, expected partition sizes
        { "less than 200 targets should all be in one partition", 199, "s:25%", null, [199] },
        { "with 200 targets and above, 4 partitions with the default 25%", 200, null, null, [50, 50, 50, 50] },
        { "rest ends up in a separate partition", 1000, "s:49%", null, [490, 490, 20] },
        { "230 clusters at 25% are 4 x 57 + 1 x 2", 230, "s:25%", null, [57, 57, 57, 57, 2] },
        { "integer size", 250, "i:100", null, [100, 100, 50] },
        { "integer size 0 disables auto-partitioning", 500, "i:0", null, [500] },
        { "a lower threshold splits small fleets", 10, "s:50%", 5, [5, 5] },
        { "threshold 0 disables auto-partitioning", 500, null, 0, [500] },
        { "exactly at the threshold partitions", 5, "i:2", 5, [2, 2, 1] },
    };

    [Theory]
    [MemberData(nameof(AutoCases))]
    public void Build_AutoPartition_ChunksSortedTargetsAsFleet(string name, int count, string? size, int? threshold, int[] sizes)
    {
        var strategy = new FleetRolloutStrategy(AutoPartitionSize: FleetTargets.Value(size), AutoPartitionThreshold: threshold);
        var targets = Enumerable.Range(0, count).Select(i => new FleetCluster($"c{i:0000}", FleetTargets.NoLabels)).ToList();

        var partitions = FleetPartitioner.Build(strategy, targets, null);

        Assert.True(sizes.SequenceEqual(partitions.Select(p => p.Members.Length)), $"{name}: got {string.Join(",", partitions.Select(p => p.Members.Length))}");
        Assert.Equal(Enumerable.Range(0, count), partitions.SelectMany(p => p.Members));
        if (sizes.Length == 1) Assert.Equal("All", partitions[0].Name);
    }

    [Fact]
    public void Build_230At25Percent_NamesPartitionsByOffsetAndEnd()
    {
        var targets = Enumerable.Range(0, 230).Select(i => new FleetCluster($"c{i:000}", FleetTargets.NoLabels)).ToList();

        var names = FleetPartitioner.Build(new FleetRolloutStrategy(AutoPartitionSize: "25%"), targets, null).Select(p => p.Name);

        Assert.Equal(["Partition 0 - 57", "Partition 57 - 114", "Partition 114 - 171", "Partition 171 - 228", "Partition 228 - 230"], names);
    }

    [Fact]
    public void Build_InvalidAutoPartitionSize_IsAReconcileError()
    {
        var targets = Enumerable.Range(0, 300).Select(i => new FleetCluster($"c{i}", FleetTargets.NoLabels)).ToList();

        Assert.Throws<FleetReconcileException>(() => FleetPartitioner.Build(new FleetRolloutStrategy(AutoPartitionSize: "half"), targets, null));
    }

    [Fact]
    public void Build_ManualByClusterName_MatchesNamesInDeclaredOrder()
    {
        var strategy = new FleetRolloutStrategy(Partitions:
        [
            new FleetPartitionDefinition("Partition 1", ClusterName: "cluster-2"),
            new FleetPartitionDefinition("Partition 2", ClusterName: "cluster-1"),
        ]);
        FleetCluster[] targets = [new("cluster-1", FleetTargets.NoLabels), new("cluster-2", FleetTargets.NoLabels), new("cluster-3", FleetTargets.NoLabels)];

        var partitions = FleetPartitioner.Build(strategy, targets, null);

        Assert.Equal(["Partition 1", "Partition 2"], partitions.Select(p => p.Name));
        Assert.Equal([1], partitions[0].Members);
        Assert.Equal([0], partitions[1].Members);
    }

    [Fact]
    public void Build_ManualByClusterGroup_MatchesGroupMembers()
    {
        var strategy = new FleetRolloutStrategy(Partitions:
        [
            new FleetPartitionDefinition("Partition 1", ClusterGroup: "group-1"),
            new FleetPartitionDefinition("Partition 2", ClusterGroup: "group-2"),
        ]);
        FleetClusterGroup[] groups =
        [
            new("group-1", Selector("group", "group-1"), FleetTargets.NoLabels),
            new("group-2", Selector("group", "group-2"), FleetTargets.NoLabels),
        ];
        FleetCluster[] targets =
        [
            new("a", new Dictionary<string, string> { ["group"] = "group-2" }),
            new("b", new Dictionary<string, string> { ["group"] = "group-1" }),
            new("c", new Dictionary<string, string> { ["group"] = "group-2" }),
        ];

        var partitions = FleetPartitioner.Build(strategy, targets, groups);

        Assert.Equal([1], partitions[0].Members);
        Assert.Equal([0, 2], partitions[1].Members);
    }

    [Fact]
    public void Build_ManualPartitions_UnmatchedClustersInNoPartitionAndOverlapsInBoth()
    {
        var strategy = new FleetRolloutStrategy(Partitions:
        [
            new FleetPartitionDefinition("canary", ClusterSelector: Selector("ring", "canary")),
            new FleetPartitionDefinition("stores", ClusterSelector: Selector("kind", "store")),
        ]);
        FleetCluster[] targets =
        [
            new("a", new Dictionary<string, string> { ["ring"] = "canary", ["kind"] = "store" }),
            new("b", new Dictionary<string, string> { ["kind"] = "store" }),
            new("c", new Dictionary<string, string> { ["kind"] = "warehouse" }),
        ];

        var partitions = FleetPartitioner.Build(strategy, targets, null);

        Assert.Equal([0], partitions[0].Members);
        Assert.Equal([0, 1], partitions[1].Members);
        Assert.DoesNotContain(2, partitions.SelectMany(p => p.Members));
    }

    internal static JsonObject Selector(string key, string value) => new() { ["matchLabels"] = new JsonObject { [key] = value } };
}
