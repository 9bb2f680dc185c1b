namespace EdgeInfra.Components.Model;

/// <summary>One rollout ring: its place in the order, its size and Fleet's rollout budget inside it.</summary>
/// <param name="Percent">Cumulative share of the fleet reached when this ring is done (e.g. canary 1, early 10,
/// regional 50, all 100); null when membership comes only from the <c>rollout-ring</c> label.</param>
/// <param name="MaxUnavailable">Fleet <c>rolloutStrategy.maxUnavailable</c> for the ring's bundles ("10%" or "1").</param>
/// <param name="Bake">How long the ring must stay healthy before the next ring opens.</param>
public sealed record RingSpec(
    string Name,
    int Order,
    double? Percent,
    string MaxUnavailable,
    TimeSpan Bake,
    SourceLocation Location)
{
    /// <summary>Fleet <c>rolloutStrategy.autoPartitionSize</c> inside the ring.</summary>
    public string AutoPartitionSize { get; init; } = "25%";
    public int MaxUnavailablePartitions { get; init; }
}
