namespace EdgeInfra.Lab.FleetRules;

/// <summary>The fields of a BundleDeployment that Fleet's rollout and state rules read: three IDs and the agent's status.</summary>
/// <param name="DeploymentID"><c>spec.deploymentID</c>: what the agent is asked to apply ("" until first promoted).</param>
/// <param name="StagedDeploymentID"><c>spec.stagedDeploymentID</c>: the bundle's latest ID for this cluster.</param>
/// <param name="AppliedDeploymentID"><c>status.appliedDeploymentID</c>: what the agent last applied.</param>
/// <param name="Ready"><c>status.ready</c>: no non-ready resources.</param>
/// <param name="NonModified"><c>status.nonModified</c>: no drift (absent in Fleet's JSON means false).</param>
/// <param name="Deployed">The <c>Deployed</c> condition's status: true, false, or null when the condition is absent.</param>
public sealed record FleetBundleDeployment(
    string DeploymentID = "",
    string StagedDeploymentID = "",
    string AppliedDeploymentID = "",
    bool Ready = false,
    bool NonModified = false,
    bool? Deployed = null)
{
    /// <summary>Fleet's <c>isUnavailable</c>: the agent has not applied <c>spec.deploymentID</c>, or it is not ready.</summary>
    public bool IsUnavailable => AppliedDeploymentID != DeploymentID || !Ready;

    /// <summary>A BundleDeployment the agent has fully applied and reports healthy, all three IDs equal to <paramref name="id"/>.</summary>
    public static FleetBundleDeployment Settled(string id) => new(id, id, id, Ready: true, NonModified: true, Deployed: true);
}
