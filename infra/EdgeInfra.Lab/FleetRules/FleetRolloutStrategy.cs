namespace EdgeInfra.Lab.FleetRules;

/// <summary>A bundle's <c>rolloutStrategy</c> (fleet.yaml), every field optional as in Fleet; null means Fleet's default.</summary>
/// <param name="MaxUnavailable">Bundle-wide budget and each partition's fallback; default 100%.</param>
/// <param name="MaxUnavailablePartitions">Of the number of partitions; default 0.</param>
/// <param name="AutoPartitionSize">Chunk size when no partitions are declared; default 25%, integer ≤ 0 disables.</param>
/// <param name="AutoPartitionThreshold">Fewer targets than this ⇒ one partition "All"; default 200, ≤ 0 disables.</param>
/// <param name="MaxNew">BundleDeployments created per reconcile; default 50.</param>
/// <param name="Partitions">Manual partitions in declared order; when non-empty auto-partitioning is off.</param>
public sealed record FleetRolloutStrategy(
    IntOrPercent? MaxUnavailable = null,
    IntOrPercent? MaxUnavailablePartitions = null,
    IntOrPercent? AutoPartitionSize = null,
    int? AutoPartitionThreshold = null,
    int? MaxNew = null,
    IReadOnlyList<FleetPartitionDefinition>? Partitions = null)
{
    /// <summary>Fleet's <c>DefaultMaxNew</c>.</summary>
    public const int DefaultMaxNew = 50;

    /// <summary>Fleet's default <c>autoPartitionThreshold</c>.</summary>
    public const int DefaultAutoPartitionThreshold = 200;

    /// <summary>Fleet's <c>defAutoPartitionSize</c>.</summary>
    public static readonly IntOrPercent DefaultAutoPartitionSize = IntOrPercent.FromString("25%");

    /// <summary>Fleet's <c>defMaxUnavailablePartitions</c>.</summary>
    public static readonly IntOrPercent DefaultMaxUnavailablePartitions = IntOrPercent.FromInt(0);

    /// <summary>The strategy of a bundle with no <c>rolloutStrategy</c>.</summary>
    public static FleetRolloutStrategy Default { get; } = new();
}
