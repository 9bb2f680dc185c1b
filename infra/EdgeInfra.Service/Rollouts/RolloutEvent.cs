using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Service.Rollouts;

/// <summary>One walker decision as the service streams it: what happened, on which ring, when in the rollout's time
/// (virtual in the lab) and when the service emitted it (wall clock, for delivery latency).</summary>
/// <param name="Kind">start, apply, progress, gates, hold, promote, breach, rollback, recovered, complete, timeout, note,
/// and the service's own <c>end</c> (the run's record, with its status).</param>
/// <param name="Gates">For a <c>gates</c> event, each gate's verdict.</param>
public sealed record RolloutEvent(string Rollout, string Kind, string? Ring, string Text, DateTimeOffset At, TimeSpan Elapsed, DateTimeOffset Emitted,
    IReadOnlyList<GateVerdict>? Gates = null)
{
    public static RolloutEvent From(string rollout, TimelineEvent e, DateTimeOffset emitted) =>
        new(rollout, e.Kind, e.Ring, e.Text, e.At, e.Elapsed, emitted, e.Gates?.Select(GateVerdict.From).ToList());
}

/// <summary>One gate's verdict on a ring: <c>successful</c>, <c>failed</c>, <c>inconclusive</c> or <c>waiting</c> (a bake
/// or a window: expected, not a hold), its reason with the numbers, and the stores behind it (at most 20 named).</summary>
public sealed record GateVerdict(string Gate, string Verdict, string Reason, int StoreCount, IReadOnlyList<string> Stores)
{
    public const int NamedStores = 20;

    public static GateVerdict From(GateResult r) => new(
        r.Gate,
        r.IsScheduledWait ? "waiting" : r.Verdict.ToString().ToLowerInvariant(),
        r.Reason,
        r.Stores.Count,
        [.. r.Stores.Take(NamedStores)]);
}
