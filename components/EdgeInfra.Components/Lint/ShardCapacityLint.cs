using EdgeInfra.Components.Model;
using EdgeInfra.Components.Sharding;

namespace EdgeInfra.Components.Lint;

/// <summary>Warns when one Fleet controller would carry more clusters than <c>edge-infra:fleet.shardClusterLimit</c>.</summary>
/// <remarks>A warning, not a refusal: Fleet still works past the limit, only slower (every Bundle reconcile walks all of
/// its targets, and one controller reconciles every Bundle of every ring). An unsharded stack is one controller.</remarks>
public static class ShardCapacityLint
{
    public static IReadOnlyList<LintFinding> Check(FleetModel model, string file)
    {
        var sharding = model.Settings.Sharding;
        var limit = sharding.ClusterLimit;
        if (!sharding.IsSharded)
        {
            return model.Stores.Length <= limit ? [] :
            [
                new LintFinding(file, LintRules.ShardClusterLimit,
                    $"{model.Stores.Length:N0} stores on one Fleet controller, more than edge-infra:fleet.shardClusterLimit ({limit:N0}); " +
                    $"set edge-infra:fleet.shards to at least {(model.Stores.Length + limit - 1) / limit} (and the same shards[].id in the Fleet chart)"),
            ];
        }
        var counts = sharding.ShardIds.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var store in model.Stores)
            if (store.Label(FleetSharding.StoreShardLabel) is { } shard && counts.ContainsKey(shard)) counts[shard]++;
        return [.. counts.Where(c => c.Value > limit).Select(c => new LintFinding(file, LintRules.ShardClusterLimit,
            $"shard '{c.Key}' carries {c.Value:N0} stores, more than edge-infra:fleet.shardClusterLimit ({limit:N0}); add a shard"))];
    }
}
