namespace EdgeInfra.Rollout.Gates;

/// <summary>What a gate says about a ring right now (Argo Rollouts' model, ARCHITECTURE.md §7).</summary>
public enum Verdict
{
    /// <summary>The gate's condition holds: the ring may promote as far as this gate is concerned.</summary>
    Successful,

    /// <summary>The gate's condition is breached: the ring rolls back.</summary>
    Failed,

    /// <summary>No data, NaN, an unreachable source or a condition not yet met: the ring holds, never promotes.</summary>
    Inconclusive,
}
