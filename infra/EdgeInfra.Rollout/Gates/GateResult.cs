namespace EdgeInfra.Rollout.Gates;

/// <summary>One gate's verdict on one ring, with the reason an operator reads and the stores that caused it.</summary>
/// <param name="Gate">The gate's name, as shown in the timeline and the audit log (e.g. <c>fleet-ready</c>, <c>metrics:p99</c>).</param>
/// <param name="Reason">Why, in one line: the number against its threshold, or what data was missing.</param>
/// <param name="Stores">Store ids behind a Failed or Inconclusive verdict (empty when the gate is ring-wide).</param>
public sealed record GateResult(string Gate, Verdict Verdict, string Reason, IReadOnlyList<string> Stores)
{
    public static GateResult Successful(string gate, string reason) => new(gate, Verdict.Successful, reason, []);
    public static GateResult Failed(string gate, string reason, IReadOnlyList<string>? stores = null) => new(gate, Verdict.Failed, reason, stores ?? []);
    public static GateResult Inconclusive(string gate, string reason, IReadOnlyList<string>? stores = null) => new(gate, Verdict.Inconclusive, reason, stores ?? []);

    /// <summary>Inconclusive as an expected wait (a bake running, a maintenance window not open yet): the ring waits, but
    /// it is not held, so the hold timeout does not run.</summary>
    public static GateResult Waiting(string gate, string reason, IReadOnlyList<string>? stores = null) =>
        new(gate, Verdict.Inconclusive, reason, stores ?? []) { IsScheduledWait = true };

    /// <summary>True for a <see cref="Waiting"/> result.</summary>
    public bool IsScheduledWait { get; init; }

    /// <summary>For a scheduled wait: when it may end by itself (a maintenance window opens); null when unknown.</summary>
    public DateTimeOffset? Until { get; init; }
}
