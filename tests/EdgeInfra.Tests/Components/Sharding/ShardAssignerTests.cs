using EdgeInfra.Components.Sharding;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Components.Sharding;

/// <summary>A store's shard is stable as stores come and go, and adding a shard moves as few stores as it can.</summary>
public sealed class ShardAssignerTests(ITestOutputHelper output)
{
    private const int Stores = 10_000;

    private static IReadOnlyList<string> StoreIds(int count, int from = 0) =>
        [.. Enumerable.Range(from, count).Select(i => $"store-{i:D5}")];

    /// <summary>The numbers docs/benchmarks.md quotes: at 10,000 stores, 2 → 3 shards moves about a third and 3 → 4
    /// about a quarter, every moved store onto the new shard (hash mod n would move about 2/3 and 3/4).</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Assign_AddingAShard_MovesAboutOneInNPlusOneAllOntoTheNewShard(int before)
    {
        var ids = StoreIds(Stores);
        var oldShards = FleetSharding.Numbered(before);
        var newShards = FleetSharding.Numbered(before + 1);
        var added = newShards[^1];
        var moved = ids.Where(id => ShardAssigner.Assign(id, oldShards) != ShardAssigner.Assign(id, newShards)).ToList();
        var modMoved = ids.Count(id => ModShard(id, before) != ModShard(id, before + 1));
        output.WriteLine($"{before} -> {before + 1} shards at {Stores:N0} stores: {moved.Count:N0} moved by rendezvous hashing " +
                         $"(ideal {Stores / (before + 1):N0}), {modMoved:N0} by hash mod n");

        Assert.All(moved, id => Assert.Equal(added, ShardAssigner.Assign(id, newShards)));
        var ideal = Stores / (double)(before + 1);
        Assert.InRange(moved.Count, ideal * 0.95, ideal * 1.05);
        Assert.True(modMoved > 1.5 * moved.Count, $"hash mod n moved {modMoved}, rendezvous {moved.Count}");
    }

    [Fact]
    public void Assign_StoresAdded_NoExistingStoreChangesShard()
    {
        var shards = FleetSharding.Numbered(3);
        var before = StoreIds(1_000).ToDictionary(id => id, id => ShardAssigner.Assign(id, shards));
        // The assignment of a store reads only its id and the shard ids: a fleet ten times bigger agrees on the first 1,000.
        var after = StoreIds(10_000).ToDictionary(id => id, id => ShardAssigner.Assign(id, shards));
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Assign_TenThousandStores_EveryShardWithinFivePercentOfItsShare(int shards)
    {
        var ids = FleetSharding.Numbered(shards);
        var counts = StoreIds(Stores).GroupBy(id => ShardAssigner.Assign(id, ids)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(shards, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, Stores / shards * 0.95, Stores / shards * 1.05));
    }

    [Fact]
    public void Assign_ShardListReordered_SameShard()
    {
        string[] ids = ["edge-a", "edge-b", "edge-c"];
        string[] reordered = ["edge-c", "edge-a", "edge-b"];
        Assert.All(StoreIds(500), id => Assert.Equal(ShardAssigner.Assign(id, ids), ShardAssigner.Assign(id, reordered)));
    }

    [Fact]
    public void Assign_ShardRemoved_OnlyItsStoresMove()
    {
        var three = FleetSharding.Numbered(3);
        string[] two = [three[0], three[2]];
        foreach (var id in StoreIds(2_000))
        {
            var was = ShardAssigner.Assign(id, three);
            if (was != three[1]) Assert.Equal(was, ShardAssigner.Assign(id, two));
        }
    }

    private static int ModShard(string id, int n) => (int)(ShardAssigner.Weight("", id) % (ulong)n);
}
