namespace EdgeInfra.Lab.FleetRules;

/// <summary>Accumulates a <see cref="FleetBundleSummary"/> one target at a time, as Fleet's <c>summary.IncrementState</c> does.</summary>
public sealed class FleetSummaryBuilder
{
    private readonly int[] _counts = new int[(int)FleetBundleState.Modified + 1];
    private readonly List<FleetNonReadyResource> _nonReady = [];
    private int _desiredReady;

    /// <summary>Counts one target in <paramref name="state"/>; <paramref name="name"/> is listed if it is not Ready (first ten only).</summary>
    public FleetSummaryBuilder Add(string name, FleetBundleState state) => Add("", name, state);

    /// <summary>As <see cref="Add(string, FleetBundleState)"/> with the name <c>prefix + name</c>, built only if it is listed.</summary>
    public FleetSummaryBuilder Add(string prefix, string name, FleetBundleState state)
    {
        _counts[(int)state]++;
        _desiredReady++;
        if (name.Length > 0 && state != FleetBundleState.Ready && _nonReady.Count < FleetBundleSummary.MaxNonReadyResources)
            _nonReady.Add(new FleetNonReadyResource(prefix + name, state));
        return this;
    }

    public FleetBundleSummary Build() => new(
        Ready: _counts[(int)FleetBundleState.Ready],
        DesiredReady: _desiredReady,
        NotReady: _counts[(int)FleetBundleState.NotReady],
        WaitApplied: _counts[(int)FleetBundleState.WaitApplied],
        ErrApplied: _counts[(int)FleetBundleState.ErrApplied],
        OutOfSync: _counts[(int)FleetBundleState.OutOfSync],
        Modified: _counts[(int)FleetBundleState.Modified],
        Pending: _counts[(int)FleetBundleState.Pending],
        NonReadyResources: [.. _nonReady]);
}
