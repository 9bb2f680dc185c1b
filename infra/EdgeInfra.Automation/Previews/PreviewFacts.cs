namespace EdgeInfra.Automation;

/// <summary>What a pull-request comment says about a preview beyond its resource changes: where each ring's change lands,
/// overrides about to expire, warnings, and a cheap estimate of how the rollout will take its time.</summary>
/// <param name="At">When the preview was made (the estimate's "now").</param>
/// <param name="GateInterval">How often the rollout host evaluates a ring's gates.</param>
/// <param name="Rings">Per ring stack that changes, in rollout order.</param>
/// <param name="Expiring">Overrides that expire within <see cref="PreviewFacts.ExpiryHorizonDays"/> days, soonest first.</param>
/// <param name="Warnings">What loading the stack warned about (it did not stop the preview).</param>
public sealed record PreviewFacts(
    DateTimeOffset At,
    TimeSpan GateInterval,
    IReadOnlyList<RingReach> Rings,
    IReadOnlyList<ExpiringOverride> Expiring,
    IReadOnlyList<string> Warnings)
{
    /// <summary>How far ahead an override's expiry is worth telling a reviewer about.</summary>
    public const int ExpiryHorizonDays = 30;
}

/// <summary>Where one ring's change lands and how long the rollout host is estimated to spend on the ring.</summary>
/// <param name="Stack">The ring's engine stack, e.g. <c>prod.canary</c>.</param>
/// <param name="StoresReached">Stores that receive something: all of the ring when its bundle changes.</param>
/// <param name="Regions">Reached stores per region (region label; <c>(none)</c> without one), by region name.</param>
/// <param name="StoreIds">The reached stores' ids when there are at most <see cref="RingReach.IdsShown"/>, else empty.</param>
/// <param name="ChangeClass">The strictest change class among the apps the ring's bundles change (<c>immediate</c>,
/// <c>next-window</c>, <c>hold-for-review</c>); null when no app bundle changes.</param>
/// <param name="Bake">How long the ring must stay healthy before the next ring opens.</param>
/// <param name="StartsAfter">Estimated time from the rollout's start until this ring is applied.</param>
/// <param name="WindowWaits">Reached stores outside their maintenance window when the ring is estimated to open.</param>
/// <param name="LongestWindowWait">The longest of those waits until a window admits the change.</param>
/// <param name="Duration">Estimated time from the ring's apply until it is promoted.</param>
public sealed record RingReach(
    string Stack,
    string Ring,
    int StoresReached,
    IReadOnlyDictionary<string, int> Regions,
    IReadOnlyList<string> StoreIds,
    string? ChangeClass,
    TimeSpan Bake,
    TimeSpan StartsAfter,
    int WindowWaits,
    TimeSpan LongestWindowWait,
    TimeSpan Duration)
{
    public const int IdsShown = 10;
}

/// <summary>An override that expires soon, and who owns it.</summary>
/// <param name="Scope">baseline, region or site.</param>
/// <param name="Match">The region or store it applies to; null for a baseline override.</param>
public sealed record ExpiringOverride(string Name, string App, string Scope, string? Match, string Owner, DateOnly Expires, int DaysLeft);
