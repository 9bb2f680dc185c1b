namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's <c>BundleSummary</c>: counts of targets per state plus the first ten non-ready ones.</summary>
public sealed record FleetBundleSummary(
    int Ready,
    int DesiredReady,
    int NotReady,
    int WaitApplied,
    int ErrApplied,
    int OutOfSync,
    int Modified,
    int Pending,
    IReadOnlyList<FleetNonReadyResource> NonReadyResources)
{
    /// <summary>Fleet keeps at most this many entries in <c>nonReadyResources</c>.</summary>
    public const int MaxNonReadyResources = 10;

    public static FleetBundleSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, []);

    /// <summary>Fleet's <c>summary.IsReady</c>: every desired target is Ready.</summary>
    public bool IsReady => DesiredReady == Ready;

    /// <summary>The count for one state.</summary>
    public int Count(FleetBundleState state) => state switch
    {
        FleetBundleState.Ready => Ready,
        FleetBundleState.NotReady => NotReady,
        FleetBundleState.WaitApplied => WaitApplied,
        FleetBundleState.ErrApplied => ErrApplied,
        FleetBundleState.OutOfSync => OutOfSync,
        FleetBundleState.Modified => Modified,
        FleetBundleState.Pending => Pending,
        _ => 0,
    };

    /// <summary>Fleet's <c>GetSummaryState</c>: the highest-ranked state among <c>nonReadyResources</c>, "" when none.</summary>
    /// <remarks>Only the first ten non-ready targets are kept, so a worse state further down the list is not shown.</remarks>
    public string DisplayState
    {
        get
        {
            FleetBundleState? worst = null;
            foreach (var r in NonReadyResources)
                if (worst is null || FleetBundleStateRank.Of(r.State) > FleetBundleStateRank.Of(worst.Value))
                    worst = r.State;
            return worst?.ToString() ?? "";
        }
    }

    /// <summary>Fleet's <c>display.readyClusters</c>: <c>"ready/desiredReady"</c>.</summary>
    public string ReadyClusters => $"{Ready}/{DesiredReady}";
}

/// <summary>One entry of <c>summary.nonReadyResources</c>: <c>"&lt;cluster namespace&gt;/&lt;cluster&gt;"</c> and its state.</summary>
public sealed record FleetNonReadyResource(string Name, FleetBundleState State);
