namespace EdgeInfra.Components.Sharding;

/// <summary>Puts a store on a controller shard by rendezvous (highest random weight) hashing over its id.</summary>
/// <remarks>
/// A store's shard depends only on its id and the set of shard ids, never on the other stores, so adding stores moves
/// none. Adding a shard moves exactly the stores the new shard now wins, about 1/(n+1) of them, the least any
/// assignment that stays balanced can move, and every moved store goes to the new shard (measured in
/// <c>ShardAssignerTests</c> and docs/benchmarks.md). Moves matter: a moved store leaves its old shard's bundles for the
/// new shard's, so Fleet removes one BundleDeployment and creates another, which redeploys its apps.
/// </remarks>
public static class ShardAssigner
{
    public static string Assign(string storeId, IReadOnlyList<string> shardIds)
    {
        string? best = null;
        var bestWeight = 0UL;
        foreach (var shard in shardIds)
        {
            var weight = Weight(shard, storeId);
            // Ties (practically never) go to the ordinally smaller id, so the answer does not depend on list order.
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(shard, best) < 0))
            {
                best = shard;
                bestWeight = weight;
            }
        }
        return best ?? throw new ArgumentException("no shard ids", nameof(shardIds));
    }

    /// <summary>FNV-1a over "shard\0store" finished with SplitMix64: stable across machines, runs and .NET versions
    /// (string.GetHashCode is randomised per process).</summary>
    internal static ulong Weight(string shard, string storeId)
    {
        var h = 14695981039346656037UL;
        foreach (var c in shard) h = (h ^ c) * 1099511628211UL;
        h = (h ^ 0) * 1099511628211UL;
        foreach (var c in storeId) h = (h ^ c) * 1099511628211UL;
        h += 0x9E3779B97F4A7C15UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }
}
