using EdgeInfra.Components.Model;

namespace EdgeInfra.Rollout.Status;

/// <summary>When a store counts as offline or failed: offline thresholds per site class and the failure deadline.</summary>
/// <param name="OfflineThresholds">Site classes in order; the first whose label matches a store gives its threshold.</param>
/// <param name="DefaultOfflineThreshold">The threshold of a store no class matches (default 2 × Fleet's 15 min check-in).</param>
/// <param name="FailureDeadline">How long an online store may stay not Ready on the new deployment before it is failed.</param>
public sealed record FleetStatusPolicy(
    IReadOnlyList<OfflineThreshold> OfflineThresholds,
    TimeSpan DefaultOfflineThreshold,
    TimeSpan FailureDeadline)
{
    /// <summary>Fleet's default <c>agentCheckinInterval</c> (fleet.md §6.2).</summary>
    public static readonly TimeSpan AgentCheckinInterval = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan DefaultFailureDeadline = TimeSpan.FromMinutes(30);

    /// <summary>No site classes, offline after 2 × the agent check-in, failed after 30 min not Ready.</summary>
    public static FleetStatusPolicy Default { get; } = new([], 2 * AgentCheckinInterval, DefaultFailureDeadline);

    /// <summary>The offline threshold of one store: its first matching site class, else the default.</summary>
    public TimeSpan OfflineThresholdOf(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var t in OfflineThresholds)
            if (labels.TryGetValue(t.Label, out var v) && string.Equals(v, t.Value, StringComparison.Ordinal)) return t.Threshold;
        return DefaultOfflineThreshold;
    }
}

/// <summary>A site class (stores whose <paramref name="Label"/> is <paramref name="Value"/>, e.g. network-tier=satellite)
/// and how long its agents may stay silent before the store counts as offline.</summary>
public sealed record OfflineThreshold(string Label, string Value, TimeSpan Threshold);
