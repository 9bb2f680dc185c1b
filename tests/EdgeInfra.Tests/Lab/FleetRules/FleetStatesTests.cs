using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary><c>summary.GetDeploymentState</c>, v0.16's effective state, and the summary's display rules.</summary>
public sealed class FleetStatesTests
{
    public static TheoryData<string, FleetBundleDeployment, FleetBundleState> RawCases => new()
    {
        { "applied differs, Deployed False", new("b", "b", "a", Ready: true, NonModified: true, Deployed: false), FleetBundleState.ErrApplied },
        { "applied differs, Deployed absent", new("b", "b", "a", Ready: true, NonModified: true), FleetBundleState.WaitApplied },
        { "applied differs, Deployed True", new("b", "b", "a", Ready: true, NonModified: true, Deployed: true), FleetBundleState.WaitApplied },
        { "applied but not ready", new("a", "a", "a", Ready: false, NonModified: true), FleetBundleState.NotReady },
        { "staged differs", new("a", "b", "a", Ready: true, NonModified: true), FleetBundleState.OutOfSync },
        { "drifted but ready", new("a", "a", "a", Ready: true, NonModified: false), FleetBundleState.Modified },
        { "settled", FleetBundleDeployment.Settled("a"), FleetBundleState.Ready },
        { "not ready wins over out of sync", new("a", "b", "a", Ready: false, NonModified: false), FleetBundleState.NotReady },
    };

    [Theory]
    [MemberData(nameof(RawCases))]
    public void StateOf_BundleDeployment_IsFleetsDeploymentState(string name, FleetBundleDeployment bd, FleetBundleState expected)
    {
        Assert.True(expected == FleetStates.StateOf(bd), name);
    }

    [Fact]
    public void StateOf_NoBundleDeployment_IsPending()
    {
        Assert.Equal(FleetBundleState.Pending, FleetStates.StateOf(null));
        Assert.Equal(FleetBundleState.Pending, FleetStates.EffectiveStateOf(null, "new"));
    }

    [Theory]
    [InlineData("old", "old", "old", true, "WaitApplied")]  // held back by the rollout: raw Ready, bundle WaitApplied
    [InlineData("old", "new", "old", true, "WaitApplied")]  // staged, raw OutOfSync
    [InlineData("new", "new", "old", false, "ErrApplied")]  // promoted, failed
    [InlineData("new", "new", "new", true, "Ready")]
    public void EffectiveStateOf_HeldOrOfflineCluster_CountsAgainstTheNewID(string id, string staged, string applied, bool deployed, string expected)
    {
        var bd = new FleetBundleDeployment(id, staged, applied, Ready: true, NonModified: true, Deployed: deployed);

        Assert.Equal(expected, FleetStates.EffectiveStateOf(bd, "new").ToString());
    }

    [Fact]
    public void Summarize_MixedStates_CountsEachAndShowsTheWorstRankedNonReady()
    {
        var summary = FleetStates.Summarize([("ns/a", FleetBundleState.Ready), ("ns/b", FleetBundleState.Modified),
            ("ns/c", FleetBundleState.NotReady), ("ns/d", FleetBundleState.OutOfSync)]);

        Assert.Equal((1, 4, 1, 1, 1), (summary.Ready, summary.DesiredReady, summary.Modified, summary.NotReady, summary.OutOfSync));
        Assert.Equal("Modified", summary.DisplayState);
        Assert.Equal("1/4", summary.ReadyClusters);
        Assert.False(summary.IsReady);
        Assert.Equal(["ns/b", "ns/c", "ns/d"], summary.NonReadyResources.Select(r => r.Name));
    }

    [Fact]
    public void Summarize_AllReady_DisplaysEmptyState()
    {
        var summary = FleetStates.Summarize([("ns/a", FleetBundleState.Ready), ("ns/b", FleetBundleState.Ready)]);

        Assert.Equal("", summary.DisplayState);
        Assert.True(summary.IsReady);
    }

    [Fact]
    public void Summarize_WorseStateAfterTenNonReady_IsNotDisplayed()
    {
        var states = Enumerable.Range(0, 10).Select(i => ($"ns/a{i:00}", FleetBundleState.NotReady))
            .Append(("ns/z", FleetBundleState.ErrApplied));

        var summary = FleetStates.Summarize(states);

        Assert.Equal(1, summary.ErrApplied);
        Assert.Equal(10, summary.NonReadyResources.Count);
        Assert.Equal("NotReady", summary.DisplayState); // GetSummaryState only sees the first ten non-ready entries
    }
}
