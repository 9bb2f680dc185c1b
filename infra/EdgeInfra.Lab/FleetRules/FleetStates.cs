namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's BundleDeployment state rules (<c>summary.GetDeploymentState</c>, v0.16 <c>effectiveDeployment</c>) and their summary.</summary>
public static class FleetStates
{
    /// <summary>The raw state of a BundleDeployment, as Cluster and GitRepo status show it; no BundleDeployment ⇒ Pending.</summary>
    public static FleetBundleState StateOf(FleetBundleDeployment? bd) =>
        bd is null ? FleetBundleState.Pending : StateOf(bd, bd.DeploymentID);

    /// <summary>The state the Bundle summary counts (v0.16+): the BundleDeployment judged as if <c>spec.deploymentID</c>
    /// were already <paramref name="targetDeploymentID"/>, so a held-back or offline cluster is WaitApplied (or ErrApplied).</summary>
    public static FleetBundleState EffectiveStateOf(FleetBundleDeployment? bd, string targetDeploymentID) =>
        bd is null ? FleetBundleState.Pending : StateOf(bd, targetDeploymentID);

    private static FleetBundleState StateOf(FleetBundleDeployment bd, string deploymentID)
    {
        if (bd.AppliedDeploymentID != deploymentID)
            return bd.Deployed == false ? FleetBundleState.ErrApplied : FleetBundleState.WaitApplied;
        if (!bd.Ready) return FleetBundleState.NotReady;
        if (deploymentID != bd.StagedDeploymentID) return FleetBundleState.OutOfSync;
        if (!bd.NonModified) return FleetBundleState.Modified;
        return FleetBundleState.Ready;
    }

    /// <summary>Summarises named states in the given order (Fleet walks targets sorted by cluster name).</summary>
    public static FleetBundleSummary Summarize(IEnumerable<(string Name, FleetBundleState State)> states)
    {
        var builder = new FleetSummaryBuilder();
        foreach (var (name, state) in states) builder.Add(name, state);
        return builder.Build();
    }
}
