namespace EdgeInfra.Rollout.Status;

/// <summary>One store as the rollout host sees it: its state, its ring, when its agent last checked in and which
/// fleet-repo revisions it last applied and last attempted.</summary>
/// <param name="AppliedRevision">The fleet-repo commit of the last deployment the store applied and reported Ready.</param>
/// <param name="AttemptedRevision">The fleet-repo commit of the deployment the store was last asked to apply.</param>
/// <param name="Reason">A short explanation for states other than ready (e.g. <c>ErrApplied: image pull failed</c>).</param>
public sealed record StoreStatus(
    string StoreId,
    string? Ring,
    StoreState State,
    DateTimeOffset? LastSeen,
    string? AppliedRevision,
    string? AttemptedRevision,
    string? Reason)
{
    /// <summary>Every BundleDeployment of the store's ring bundles carries the deployment Fleet staged for it, applied and
    /// Ready (staged == deploymentID == appliedDeploymentID), whatever commit label it has: nothing is waiting for this
    /// store. The catch-up pass uses it, because Fleet relabels a BD with the newest commit when it promotes it late.</summary>
    public bool Settled { get; init; }

    /// <summary>The store's agent has checked in with the hub at least once (its Cluster has <c>status.agent.lastSeen</c>).
    /// Before that Fleet shows the Cluster as <c>WaitCheckIn</c>, and whatever its BundleDeployments hold is applied the
    /// moment the agent registers.</summary>
    public bool Registered => LastSeen is not null;
}
