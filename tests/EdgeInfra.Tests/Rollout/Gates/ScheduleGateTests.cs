using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Tests.Components;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Rollout.Gates;

public sealed class ScheduleGateTests
{
    private static readonly DateTimeOffset Applied = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly RingSpec Canary = new("canary", 0, 5, "1", TimeSpan.FromMinutes(30), new("Pulumi.test.yaml", 1));

    private static Store StoreWith(string id, string window, string tz) => TestFleet.Store(id, "canary", "central-europe") with
    {
        Labels = TestFleet.Store(id, "canary", "central-europe").Labels.SetItem(StoreLabels.MaintenanceWindow, window).SetItem(StoreLabels.Timezone, tz),
    };

    private static GateContext Context(DateTimeOffset now, DateTimeOffset? readyAt, IReadOnlyList<Store>? stores = null,
        IReadOnlyDictionary<string, StoreState>? states = null)
    {
        stores ??= [TestFleet.Store("store-a", "canary", "central-europe")];
        var model = new FleetModel("test", [.. stores], [Canary], [TestFleet.Pos()], [], [], TestFleet.Settings);
        var statuses = stores.ToDictionary(s => s.Id, s => new StoreStatus(s.Id, "canary",
            states?.GetValueOrDefault(s.Id, StoreState.Applying) ?? StoreState.Applying, now, null, null, null));
        return new GateContext(model, Canary, stores, ImmutableDictionary<string, string>.Empty, now, Applied, readyAt, statuses);
    }

    [Theory]
    [InlineData(null, 0, Verdict.Inconclusive, true, "starts when the ring is ready")]
    [InlineData(5, 29, Verdict.Inconclusive, true, "baking 29m of 30m")]
    [InlineData(5, 30, Verdict.Successful, false, "baked 30m")]
    [InlineData(5, 95, Verdict.Successful, false, "baked 30m")]
    public async Task BakeGate_TimeSinceReady_BakesFromReadinessNotFromApply(int? readyAfterMinutes, int bakedMinutes, Verdict expected,
        bool scheduledWait, string reason)
    {
        DateTimeOffset? readyAt = readyAfterMinutes is { } r ? Applied.AddMinutes(r) : null;
        var now = (readyAt ?? Applied).AddMinutes(bakedMinutes);

        var result = await new BakeGate().EvaluateAsync(Context(now, readyAt), CancellationToken.None);

        Assert.Equal(expected, result.Verdict);
        Assert.Equal(scheduledWait, result.IsScheduledWait);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public async Task FreezeGate_Frozen_InconclusiveNamingWhoAndWhy()
    {
        using var dir = new TempDirectory();
        var store = new FreezeStore(RolloutPaths.For(dir.Path, "test"));
        var gate = new FreezeGate(store);
        Assert.Equal(Verdict.Successful, (await gate.EvaluateAsync(Context(Applied, Applied), CancellationToken.None)).Verdict);

        store.Set(new Freeze("Black Friday", "cab@example.com", Applied));
        var frozen = await gate.EvaluateAsync(Context(Applied, Applied), CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, frozen.Verdict);
        Assert.Contains("frozen by cab@example.com", frozen.Reason);
        Assert.Contains("Black Friday", frozen.Reason);
    }

    [Theory]
    // 10:00Z is 11:00 in Budapest (CET): outside 02-05, inside 10-12 and inside the midnight-wrapping 22-12 window.
    [InlineData("02-05", "Europe.Budapest", 10, false)]
    [InlineData("10-12", "Europe.Budapest", 10, true)]
    [InlineData("22-12", "Europe.Budapest", 10, true)]
    [InlineData("0230-0400", "Europe.Budapest", 2, true)]   // 03:00 in Budapest
    [InlineData("02-05", "America.Chicago", 9, true)]   // 03:00 in Chicago (CST)
    [InlineData("22-01", "America.Chicago", 9, false)]
    public void MaintenanceWindow_StoreLocalTime_OpenOrNot(string window, string tz, int utcHour, bool open)
    {
        var w = MaintenanceWindow.Of(StoreWith("store-a", window, tz))!;

        Assert.Equal(open, w.IsOpen(new DateTimeOffset(2026, 11, 23, utcHour, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void MaintenanceWindow_NextOpening_IsTheWindowStartInStoreTime()
    {
        var w = MaintenanceWindow.Of(StoreWith("store-a", "02-05", "Europe.Budapest"))!;

        var next = w.NextOpening(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero), next); // 02:00 CET
    }

    [Fact]
    public async Task MaintenanceWindowGate_NextWindowChange_WaitsForStoresOutsideTheirWindowOnly()
    {
        var stores = new[]
        {
            StoreWith("store-closed", "02-05", "Europe.Budapest"),
            StoreWith("store-open", "10-12", "Europe.Budapest"),
            StoreWith("store-done", "02-05", "Europe.Budapest"),
            StoreWith("store-away", "02-05", "Europe.Budapest"),
        };
        var states = new Dictionary<string, StoreState> { ["store-done"] = StoreState.Ready, ["store-away"] = StoreState.Offline };
        var context = Context(Applied, null, stores, states);

        var nextWindow = await new MaintenanceWindowGate(ChangeClass.NextWindow).EvaluateAsync(context, CancellationToken.None);
        var immediate = await new MaintenanceWindowGate(ChangeClass.Immediate).EvaluateAsync(context, CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, nextWindow.Verdict);
        Assert.True(nextWindow.IsScheduledWait, "a closed window is an expected wait, not a hold");
        Assert.Equal(["store-closed"], nextWindow.Stores);
        Assert.Contains("next opens in 15h", nextWindow.Reason);
        Assert.Equal(Verdict.Successful, immediate.Verdict);
    }
}
