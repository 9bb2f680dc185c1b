using System.Collections.Immutable;

namespace EdgeInfra.Components.Sharding;

/// <summary>How a stack spreads its stores over Fleet controller shards (<c>edge-infra:fleet.shards</c>) and how many
/// clusters one controller is expected to carry (<c>edge-infra:fleet.shardClusterLimit</c>).</summary>
/// <remarks>
/// Fleet (rancher/fleet at 3b2c622c, <c>pkg/sharding/sharding.go</c>) runs one controller per id in the chart's
/// <c>shards[].id</c> plus the default controller (<c>charts/fleet/templates/deployment.yaml</c>, which always deploys the
/// shard with id ""). A controller started with <c>--shard-id X</c> reconciles only objects labelled
/// <c>fleet.cattle.io/shard-ref: X</c>; the default one only objects without the label (<c>ShouldProcess</c>). An object
/// labelled with an id no controller runs is reconciled by nobody (e2e/single-cluster/sharding_test.go, "deploying a
/// gitrepo labeled with an unknown shard ID ... does not deploy the gitrepo"), so the ids here must be the hub's.
/// </remarks>
/// <param name="ShardIds">The shard ids in config order; empty: one (the default) controller, unsharded rendering.</param>
/// <param name="ClusterLimit">Clusters one controller should carry at most before the stack is sharded (or given more shards).</param>
public sealed record FleetSharding(ImmutableArray<string> ShardIds, int ClusterLimit)
{
    /// <summary>Clusters per controller before lint warns. Rancher's scaling guidance covers 500 clusters per Fleet
    /// installation and SUSE's experiment stalled a 500 × 50-bundle rollout (rancher/fleet#4283); 1,000 is the top of the
    /// 500–1,000 range Fleet's own benchmarks stop at ("skips if >1000 clusters", benchmarks/README.md).</summary>
    public const int DefaultClusterLimit = 1000;

    /// <summary>The label a GitRepo carries to be reconciled by one controller shard (Fleet's <c>ShardingRefLabel</c>);
    /// Fleet's gitjob copies the GitRepo's labels onto its Bundles (<c>gitjob.go</c> L742-748, <c>--label</c>) and the
    /// bundle reconciler copies a Bundle's labels onto its BundleDeployments.</summary>
    public const string ShardRefLabel = "fleet.cattle.io/shard-ref";

    /// <summary>Our label on a store's Cluster naming its shard, for the per-(ring, shard) ClusterGroup selectors. Not
    /// <see cref="ShardRefLabel"/>: on a Cluster that would move its Cluster reconciler off the default controller, and
    /// keys under <c>fleet.cattle.io/</c> are dropped from agent-supplied labels (rancher/fleet#5605).</summary>
    public const string StoreShardLabel = "edgeinfra.io/fleet-shard";

    public static FleetSharding None { get; } = new([], DefaultClusterLimit);

    // ImmutableArray compares by array reference: two configs naming the same shards are the same sharding.
    public bool Equals(FleetSharding? other) =>
        other is not null && ClusterLimit == other.ClusterLimit && ShardIds.SequenceEqual(other.ShardIds, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(ClusterLimit, string.Join(",", ShardIds));

    public bool IsSharded => !ShardIds.IsEmpty;

    /// <summary>The ids a count of shards names: <c>shard0</c> … <c>shard{n-1}</c> (the Fleet chart's example ids).</summary>
    public static ImmutableArray<string> Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => $"shard{i}")];

    /// <summary>The store's shard (rendezvous hashing over its id); null when the stack is not sharded.</summary>
    public string? ShardOf(string storeId) => IsSharded ? ShardAssigner.Assign(storeId, ShardIds) : null;

    /// <summary>The store with its shard's <see cref="StoreShardLabel"/>; unchanged when the stack is not sharded.</summary>
    public Model.Store Label(Model.Store store) => ShardOf(store.Id) is { } shard
        ? store with { Labels = store.Labels.SetItem(StoreShardLabel, shard) }
        : store;

    /// <summary>The name of a ring's GitRepo and ClusterGroup for a shard: the ring's own name when unsharded.</summary>
    public static string RingObjectName(string ring, string? shard) => shard is null ? ring : $"{ring}-{shard}";

    /// <summary>The GitRepo names of a ring: one per shard, or the ring's own when unsharded.</summary>
    public IEnumerable<string> GitRepoNames(string ring) =>
        IsSharded ? ShardIds.Select(s => RingObjectName(ring, s)) : [ring];
}
