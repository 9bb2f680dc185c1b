namespace EdgeInfra.Lab.FleetRules;

/// <summary>One (bundle, cluster) pair that passed GitRepo targeting: the cluster and its BundleDeployment, if any.</summary>
/// <param name="Paused">The Cluster's <c>spec.paused</c>.</param>
/// <param name="Deployment">The existing BundleDeployment; null when none exists yet.</param>
/// <param name="DeploymentID">This target's new deployment ID when it differs from the pass's (options differ per
/// customization); null means <see cref="RolloutPassInput.NewDeploymentID"/>.</param>
public sealed record FleetTarget(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    bool Paused = false,
    FleetBundleDeployment? Deployment = null,
    string? DeploymentID = null);
