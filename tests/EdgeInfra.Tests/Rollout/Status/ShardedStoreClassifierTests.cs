using EdgeInfra.Components.Model;
using EdgeInfra.Components.Sharding;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using static EdgeInfra.Tests.Rollout.Status.HubObjects;

namespace EdgeInfra.Tests.Rollout.Status;

/// <summary>In a sharded stack a store's state comes from its own (ring, shard) GitRepo and its Bundles.</summary>
public sealed class ShardedStoreClassifierTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(3);

    private static Dictionary<string, string> Revisions() => new() { ["canary"] = New };

    private static Store OnShard(string id, string shard) =>
        Store(id, "canary") is var s ? s with { Labels = s.Labels.SetItem(FleetSharding.StoreShardLabel, shard) } : throw new InvalidOperationException();

    [Fact]
    public void Classify_StoresOnTwoShards_EachReadFromItsShardsGitRepoAndBundles()
    {
        var model = Model(OnShard("s1", "shard0"), OnShard("s2", "shard1"));
        var snapshot = new HubSnapshot(
            [Cluster("s1", Fresh), Cluster("s2", Fresh)],
            [GitRepo("canary-shard0", New), GitRepo("canary-shard1", New)],
            [Bundle("canary-shard0", "pos", New), Bundle("canary-shard1", "pos", New)],
            [
                Bd("s1", "canary-shard0", "pos", New, "d2", "d2", "d2", ready: true),
                Bd("s2", "canary-shard1", "pos", New, "d2", "d2", "d2", ready: true),
                // s2 was on shard0 before a shard was added: Fleet has not deleted its old BD yet.
                Bd("s2", "canary-shard0", "pos", New, "d2", "d2", "d1", ready: false, notReadyFor: TimeSpan.FromHours(2)),
            ]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now);

        Assert.Equal(StoreState.Ready, status["s1"].State);
        Assert.True(status["s2"].State == StoreState.Ready, status["s2"].Reason);
    }

    [Fact]
    public void Classify_OneShardsGitRepoBehind_OnlyItsStoresPending()
    {
        var model = Model(OnShard("s1", "shard0"), OnShard("s2", "shard1"));
        var snapshot = new HubSnapshot(
            [Cluster("s1", Fresh), Cluster("s2", Fresh)],
            [GitRepo("canary-shard0", New), GitRepo("canary-shard1", Old)],
            [Bundle("canary-shard0", "pos", New), Bundle("canary-shard1", "pos", Old)],
            [
                Bd("s1", "canary-shard0", "pos", New, "d2", "d2", "d2", ready: true),
                Bd("s2", "canary-shard1", "pos", Old, "d1", "d1", "d1", ready: true),
            ]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now);

        Assert.Equal(StoreState.Ready, status["s1"].State);
        Assert.Equal(StoreState.Pending, status["s2"].State);
        Assert.Contains("GitRepo canary-shard1", status["s2"].Reason, StringComparison.Ordinal);
    }
}
