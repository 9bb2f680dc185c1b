using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's partition construction (<c>rollout.go</c>): which targets, in which order, form each partition.</summary>
public static class FleetPartitioner
{
    /// <summary>The partitions as (name, indexes into <paramref name="sortedTargets"/>), in Fleet's order.</summary>
    /// <remarks>Without manual partitions: one partition "All" below the threshold (or when disabled), else chunks of
    /// <c>limit(n, autoPartitionSize)</c> named <c>"Partition &lt;offset&gt; - &lt;end&gt;"</c>. With manual partitions: each
    /// definition in order takes every matching target, so a cluster matching two definitions is in both and one matching
    /// none is in no partition (and never gets a BundleDeployment).</remarks>
    /// <exception cref="FleetReconcileException">An invalid <c>autoPartitionSize</c>.</exception>
    public static IReadOnlyList<(string Name, int[] Members, FleetPartitionDefinition? Definition)> Build(
        FleetRolloutStrategy strategy, IReadOnlyList<FleetCluster> sortedTargets, IReadOnlyList<FleetClusterGroup>? groups)
    {
        if (strategy.Partitions is { Count: > 0 } definitions) return Manual(definitions, sortedTargets, groups);
        return Auto(strategy, sortedTargets.Count);
    }

    private static List<(string, int[], FleetPartitionDefinition?)> Manual(
        IReadOnlyList<FleetPartitionDefinition> definitions, IReadOnlyList<FleetCluster> targets, IReadOnlyList<FleetClusterGroup>? groups)
    {
        var clusters = targets as FleetCluster[] ?? [.. targets];
        var result = new List<(string, int[], FleetPartitionDefinition?)>(definitions.Count);
        var members = new List<int>(clusters.Length);
        foreach (var definition in definitions)
        {
            var matcher = definition.ToMatcher();
            members.Clear();
            for (var i = 0; i < clusters.Length; i++)
                if (FleetMatcher.Matches(matcher, clusters[i], groups))
                    members.Add(i);
            result.Add((definition.Name, [.. members], definition));
        }
        return result;
    }

    private static List<(string, int[], FleetPartitionDefinition?)> Auto(FleetRolloutStrategy strategy, int count)
    {
        var threshold = strategy.AutoPartitionThreshold ?? FleetRolloutStrategy.DefaultAutoPartitionThreshold;
        var disabled = strategy.AutoPartitionSize is { IsInt: true, IntValue: <= 0 } || threshold <= 0 || count < threshold;
        if (disabled) return [("All", Range(0, count), null)];

        var size = FleetLimit.Limit(count, strategy.AutoPartitionSize, FleetRolloutStrategy.DefaultAutoPartitionSize);
        var result = new List<(string, int[], FleetPartitionDefinition?)>(count / size + 1);
        for (var offset = 0; offset < count; offset += size)
        {
            var end = Math.Min(count - offset, size);
            result.Add(($"Partition {offset} - {offset + end}", Range(offset, end), null));
        }
        return result;
    }

    private static int[] Range(int start, int length)
    {
        var a = new int[length];
        for (var i = 0; i < length; i++) a[i] = start + i;
        return a;
    }
}
