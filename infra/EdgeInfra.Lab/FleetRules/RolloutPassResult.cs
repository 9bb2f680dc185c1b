namespace EdgeInfra.Lab.FleetRules;

/// <summary>What one Fleet bundle reconcile pass did, or the error it failed with (then nothing changed).</summary>
/// <param name="Error">Fleet's reconcile error, e.g. an invalid <c>maxUnavailable</c>; null on success.</param>
/// <param name="Partitions">Partitions in Fleet's order, with their clusters and status.</param>
/// <param name="Created">Clusters that got a BundleDeployment in this pass (at most <c>maxNew</c>).</param>
/// <param name="Staged">Clusters whose <c>spec.stagedDeploymentID</c> changed in this pass (created ones included).</param>
/// <param name="Promoted">Clusters whose <c>spec.deploymentID</c> became their new ID in this pass.</param>
/// <param name="BlockedThisReconcile">Nothing was promoted while some target is not on its new ID.</param>
/// <param name="BundleStatus">The Bundle status Fleet writes; null on error.</param>
/// <param name="Deployments">Every target's BundleDeployment after the pass (spec updated, status as read), by cluster
/// name; a target without one is absent.</param>
public sealed record RolloutPassResult(
    string? Error,
    IReadOnlyList<FleetPartitionResult> Partitions,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Staged,
    IReadOnlyList<string> Promoted,
    bool BlockedThisReconcile,
    FleetBundleStatus? BundleStatus,
    IReadOnlyDictionary<string, FleetBundleDeployment> Deployments)
{
    public bool Succeeded => Error is null;
}

/// <summary>One partition of a pass: its clusters in order and Fleet's <c>PartitionStatus</c> after the pass.</summary>
/// <param name="Unavailable">For a reached partition, targets not up to date or unavailable; for one the pass did not
/// reach, the unavailable BundleDeployments counted when it was built (as Fleet leaves it).</param>
/// <param name="Reached">False when an earlier partition's break stopped the pass before this one.</param>
public sealed record FleetPartitionResult(
    string Name,
    IReadOnlyList<string> Clusters,
    int MaxUnavailable,
    int Unavailable,
    FleetBundleSummary Summary,
    bool Reached)
{
    public int Count => Clusters.Count;
}

/// <summary>The Bundle status one pass writes: the summary of the targets as read, and the rollout counters.</summary>
public sealed record FleetBundleStatus(
    FleetBundleSummary Summary,
    int Unavailable,
    int MaxUnavailable,
    int UnavailablePartitions,
    int MaxUnavailablePartitions,
    int NewlyCreated)
{
    /// <summary><c>display.state</c>: "" when every target is Ready.</summary>
    public string DisplayState => Summary.DisplayState;

    /// <summary><c>display.readyClusters</c>.</summary>
    public string ReadyClusters => Summary.ReadyClusters;
}
