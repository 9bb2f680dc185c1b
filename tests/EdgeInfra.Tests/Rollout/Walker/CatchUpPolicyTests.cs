using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Tests.Components;

namespace EdgeInfra.Tests.Rollout.Walker;

public sealed class CatchUpPolicyTests
{
    private static readonly DateTimeOffset Night = new(2026, 1, 6, 2, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Noon = new(2026, 1, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceWindow TwoToFive = new(new TimeOnly(2, 0), new TimeOnly(5, 0), TimeZoneInfo.Utc, "02-05");

    [Theory]
    // class, paused, approved, state, window, at noon?, decision
    [InlineData(ChangeClass.Immediate, false, false, StoreState.Offline, true, false, CatchUpDecision.Deliver)]
    [InlineData(ChangeClass.Immediate, true, false, StoreState.Offline, true, false, CatchUpDecision.AwaitReturn)]
    [InlineData(ChangeClass.Immediate, true, false, StoreState.Pending, true, true, CatchUpDecision.Release)]
    [InlineData(ChangeClass.NextWindow, false, false, StoreState.Applying, true, true, CatchUpDecision.Deliver)]
    [InlineData(ChangeClass.NextWindow, true, false, StoreState.Offline, true, false, CatchUpDecision.AwaitReturn)]
    [InlineData(ChangeClass.NextWindow, true, false, StoreState.Pending, true, true, CatchUpDecision.AwaitWindow)]
    [InlineData(ChangeClass.NextWindow, true, false, StoreState.Pending, true, false, CatchUpDecision.Release)]
    [InlineData(ChangeClass.NextWindow, true, false, StoreState.Ready, false, true, CatchUpDecision.Release)]
    [InlineData(ChangeClass.HoldForReview, true, false, StoreState.Pending, true, false, CatchUpDecision.AwaitApproval)]
    [InlineData(ChangeClass.HoldForReview, true, false, StoreState.Offline, false, false, CatchUpDecision.AwaitApproval)]
    [InlineData(ChangeClass.HoldForReview, true, true, StoreState.Pending, true, true, CatchUpDecision.Release)]
    [InlineData(ChangeClass.HoldForReview, true, true, StoreState.Offline, true, true, CatchUpDecision.Release)]
    public void Decide_ClassStateAndWindow_ReleasesOnlyWhatTheClassAllows(ChangeClass changeClass, bool paused, bool approved, StoreState state,
        bool hasWindow, bool atNoon, CatchUpDecision expected) =>
        Assert.Equal(expected, CatchUpPolicy.Decide(changeClass, paused, approved, state, hasWindow ? TwoToFive : null, atNoon ? Noon : Night));

    [Theory]
    [InlineData(new string[0], ChangeClass.Immediate)]
    [InlineData(new[] { "signage" }, ChangeClass.Immediate)]
    [InlineData(new[] { "pos" }, ChangeClass.NextWindow)]
    [InlineData(new[] { "pos", "signage" }, ChangeClass.NextWindow)]
    public void Strictest_ChangedApps_TheStrictestClassWins(string[] changed, ChangeClass expected) =>
        Assert.Equal(expected, CatchUpPolicy.Strictest([TestFleet.Pos(), TestFleet.Signage()], changed, new Dictionary<string, ChangeClass>()));

    [Theory]
    [InlineData("signage", ChangeClass.HoldForReview, ChangeClass.HoldForReview)]
    [InlineData("pos", ChangeClass.Immediate, ChangeClass.Immediate)]
    public void Strictest_CatchUpOverride_ReplacesTheAppsOwnClass(string app, ChangeClass overridden, ChangeClass expected) =>
        Assert.Equal(expected, CatchUpPolicy.Strictest([TestFleet.Pos(), TestFleet.Signage()], [app], new Dictionary<string, ChangeClass> { [app] = overridden }));

    [Theory]
    [InlineData(21, "10%", 0, 2)]
    [InlineData(21, "10%", 1, 1)]
    [InlineData(21, "10%", 3, 0)]
    [InlineData(2, "1", 0, 1)]
    [InlineData(500, "10%", 20, 30)]
    public void ReleaseBudget_RingMaxUnavailable_BoundsReleasesInFlight(int stores, string maxUnavailable, int inFlight, int budget) =>
        Assert.Equal(budget, CatchUpPolicy.ReleaseBudget(stores, maxUnavailable, inFlight));

    [Theory]
    [InlineData(true, "paused: true")]
    [InlineData(false, null)]
    public void Cluster_Paused_RendersSpecPausedOnlyWhenPaused(bool paused, string? expected)
    {
        var store = TestFleet.Small().Stores[0];
        var file = HubRenderer.Cluster(store, TestFleet.Small().Settings, paused);
        if (expected is null) Assert.DoesNotContain("paused", file.Content);
        else Assert.Contains(expected, file.Content);
        Assert.Contains($"clientID: {store.Id}", file.Content);
    }
}
