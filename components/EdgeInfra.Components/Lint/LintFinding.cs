namespace EdgeInfra.Components.Lint;

/// <summary>One thing Fleet would silently get wrong in a file: which file, which rule, and what to do.</summary>
public sealed record LintFinding(string File, string Rule, string Message)
{
    public override string ToString() => $"{File}: [{Rule}] {Message}";
}

/// <summary>The rule ids FleetLint reports.</summary>
public static class LintRules
{
    public const string PollingInterval = "gitrepo-polling-interval";
    public const string MaxUnavailableZero = "max-unavailable-zero";
    public const string MaxUnavailableInvalid = "max-unavailable-invalid";
    public const string PartitionUnmatched = "partition-unmatched";
    public const string PartitionOverlap = "partition-overlap";
    public const string CustomizationShadowed = "customization-shadowed";
    public const string Unparsable = "unparsable";
    public const string ShardClusterLimit = "shard-cluster-limit";
    public const string ShardUnknown = "shard-unknown";
}
