using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Config;

/// <summary>How the rollout host walks a stack's rings (<c>edge-infra:rollout</c>).</summary>
/// <param name="GateInterval">How often a ring's gates are evaluated (default 1m).</param>
/// <param name="HoldTimeout">How long a ring may hold on an inconclusive gate before the rollout exits 1 (default 4h).</param>
/// <param name="FailureDeadline">How long an online store may stay not ready on the new deployment before it counts as
/// failed (default 30m).</param>
/// <param name="OfflineThresholds">Site classes (label=value) and how long their agents may be silent before the store
/// counts as offline, first match wins.</param>
/// <param name="OfflineAfter">The offline threshold of a store no site class matches (default 30m).</param>
/// <param name="WebhookKey">The config key of the secret holding the notification webhook URL; null for none.</param>
/// <param name="CatchUp">App → the change class a store returning from offline gets its changes under, overriding the
/// app's own <c>changeClass</c>.</param>
/// <param name="MirrorGate">Whether a ring waits for its zones' mirrors to serve every release image (default true; the
/// embedded lab simulates its mirrors and never runs the gate).</param>
public sealed record RolloutSettings(
    TimeSpan GateInterval,
    TimeSpan HoldTimeout,
    TimeSpan FailureDeadline,
    IReadOnlyList<OfflineClass> OfflineThresholds,
    TimeSpan OfflineAfter,
    string? WebhookKey,
    IReadOnlyDictionary<string, ChangeClass> CatchUp,
    bool MirrorGate = true)
{
    public static readonly TimeSpan DefaultGateInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromHours(4);
    public static readonly TimeSpan DefaultFailureDeadline = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan DefaultOfflineAfter = TimeSpan.FromMinutes(30);

    public static RolloutSettings Default { get; } = new(DefaultGateInterval, DefaultHoldTimeout, DefaultFailureDeadline, [],
        DefaultOfflineAfter, null, new Dictionary<string, ChangeClass>());
}

/// <summary>A site class for offline detection: stores whose <paramref name="Label"/> is <paramref name="Value"/>.</summary>
public sealed record OfflineClass(string Label, string Value, TimeSpan After);
