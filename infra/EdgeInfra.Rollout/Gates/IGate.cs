namespace EdgeInfra.Rollout.Gates;

/// <summary>One health condition a ring must meet before the next ring opens.</summary>
/// <remarks>
/// A gate never throws for a source it cannot reach (hub, Prometheus, registry): it answers Inconclusive with the
/// reason, so the walker holds the ring instead of promoting on missing data. Gates are evaluated every gate interval
/// while the ring bakes; an emergency rollback does not consult them.
/// </remarks>
public interface IGate
{
    /// <summary>The gate's name in timelines, status and the audit log.</summary>
    string Name { get; }

    Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken);
}
