namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's <c>BundleState</c> values (<c>bundle_types.go</c>); the JSON text is the member name.</summary>
public enum FleetBundleState
{
    Ready,
    NotReady,
    WaitApplied,
    ErrApplied,
    OutOfSync,
    Pending,
    Modified,
}

/// <summary>Fleet's <c>StateRank</c>: aggregates display the highest-ranked non-ready state.</summary>
public static class FleetBundleStateRank
{
    public static int Of(FleetBundleState state) => state switch
    {
        FleetBundleState.ErrApplied => 7,
        FleetBundleState.WaitApplied => 6,
        FleetBundleState.Modified => 5,
        FleetBundleState.OutOfSync => 4,
        FleetBundleState.Pending => 3,
        FleetBundleState.NotReady => 2,
        FleetBundleState.Ready => 1,
        _ => 0,
    };
}
