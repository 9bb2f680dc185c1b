using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>Everything one Fleet bundle reconcile pass reads: the bundle's targets, its rollout strategy and new deployment ID.</summary>
/// <param name="Targets">Every cluster the bundle targets, in any order: the pass sorts them by name (ordinal, as Go
/// does), and skips the sort when they already are in that order.</param>
/// <param name="NewDeploymentID">The bundle's deployment ID for targets without one of their own.</param>
/// <param name="ClusterGroups">The workspace's ClusterGroups, for partitions that select by group.</param>
/// <param name="BundlePaused">The Bundle's <c>spec.paused</c> (GitRepo <c>paused</c>).</param>
/// <param name="ClusterNamespace">The workspace namespace, used in <c>nonReadyResources</c> names.</param>
public sealed record RolloutPassInput(
    IReadOnlyList<FleetTarget> Targets,
    string NewDeploymentID,
    FleetRolloutStrategy? Strategy = null,
    IReadOnlyList<FleetClusterGroup>? ClusterGroups = null,
    bool BundlePaused = false,
    string ClusterNamespace = "fleet-default");
