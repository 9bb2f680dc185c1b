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

/// <summary>One partition of a pass: its clusters in order and the <c>PartitionStatus</c> Fleet writes for it.</summary>
/// <param name="MaxUnavailable"><c>limit(count, partition.maxUnavailable, rollout.maxUnavailable)</c>.</param>
/// <param name="Unavailable">What Fleet writes: the BundleDeployments that were unavailable when the partition was built.
/// (Fleet updates a copy of the status while it walks the partition, so its written status never shows the pass's
/// own count; that count is <paramref name="UnavailableInPass"/>.)</param>
/// <param name="Summary">The partition's targets as read at the start of the pass (v0.16 effective states).</param>
/// <param name="Reached">False when an earlier partition's break stopped the pass before this one.</param>
/// <param name="UnavailableInPass">The count the pass decided on: for a reached partition, its targets not up to date
/// or unavailable after promotion (above <paramref name="MaxUnavailable"/> ⇒ an unavailable partition); otherwise
/// <paramref name="Unavailable"/>.</param>
public sealed record FleetPartitionResult(
    string Name,
    IReadOnlyList<string> Clusters,
    int MaxUnavailable,
    int Unavailable,
    FleetBundleSummary Summary,
    bool Reached,
    int UnavailableInPass)
{
    public int Count => Clusters.Count;

    /// <summary>The pass counted this partition against <c>maxUnavailablePartitions</c>.</summary>
    public bool IsUnavailable => Reached && UnavailableInPass > MaxUnavailable;
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
    /// <summary><c>status.maxNew</c>: the creation budget of the pass (<c>rolloutStrategy.maxNew</c>, else 50).</summary>
    public int MaxNew { get; init; } = FleetRolloutStrategy.DefaultMaxNew;

    /// <summary><c>display.state</c>: "" when every target is Ready.</summary>
    public string DisplayState => Summary.DisplayState;

    /// <summary><c>display.readyClusters</c>.</summary>
    public string ReadyClusters => Summary.ReadyClusters;
}
