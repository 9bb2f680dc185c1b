using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Rollout.Walker;

public sealed class WalkerCatchUpTests
{
    [Theory]
    [InlineData(ChangeClass.Immediate)]
    [InlineData(ChangeClass.NextWindow)]
    [InlineData(ChangeClass.HoldForReview)]
    public async Task RunAsync_OfflineStoresWhenTheirRingIsApplied_ArePausedWhateverTheClass(ChangeClass changeClass)
    {
        const bool paused = true;
        using var h = new WalkerHarness();
        h.CatchUpClasses["pos"] = changeClass;
        h.Fleet.Offline.UnionWith(["store-04", "store-07"]);

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        var entries = new CatchUpStore(h.Paths).List();
        Assert.Equal(["store-04", "store-07"], entries.Select(e => e.Store).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((changeClass, paused, WalkerHarness.Release("2.5.0").Key), (e.Class, e.Paused, e.Release)));
        Assert.All(entries, e => Assert.NotNull(e.Revision));
        Assert.Equal(["all", "early"], h.AuditEntries(AuditActions.CatchUpPause).Select(e => e.Record.Ring!).Order(StringComparer.Ordinal));
        // The pauses travel to the applier with the apply, as the walker recorded them: the last ring's apply renders both.
        Assert.Equal(["store-04", "store-07"], h.Applier.PausedGiven[^1].Paused.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(ChangeClass.Immediate, 2)]
    [InlineData(ChangeClass.NextWindow, 2)]
    public async Task CatchUpAsync_StoresBack_CatchUpAndPausedOnesAreReleasedOnce(ChangeClass changeClass, int releases)
    {
        using var h = new WalkerHarness();
        h.CatchUpClasses["pos"] = changeClass;
        h.Fleet.Offline.UnionWith(["store-04", "store-07"]);
        await h.RunAsync();
        h.Fleet.Offline.Clear();

        var report = await h.Walker().CatchUpAsync(wait: true, TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Empty(report.Remaining);
        // The harness's stores have their window 02-05 Europe/Budapest: 01:00-04:00 UTC in November.
        if (changeClass == ChangeClass.NextWindow)
            Assert.All(h.AuditEntries(AuditActions.CatchUpRelease), e => Assert.InRange(e.Record.Time.UtcDateTime.Hour, 1, 3));
        Assert.Empty(new CatchUpStore(h.Paths).List());
        Assert.Equal(["store-04", "store-07"], h.AuditEntries(AuditActions.CaughtUp).SelectMany(e => e.Record.Stores!).Order(StringComparer.Ordinal));
        Assert.Equal(releases, h.AuditEntries(AuditActions.CatchUpRelease).SelectMany(e => e.Record.Stores!).Count());
    }

    [Fact]
    public async Task CatchUpAsync_ConfigBumpedButNotRolledOut_ReleasesStoresAtTheRingsOwnRelease()
    {
        using var h = new WalkerHarness();
        h.CatchUpClasses["pos"] = ChangeClass.Immediate;
        h.Fleet.Offline.UnionWith(["store-04", "store-07"]);
        await h.RunAsync();
        h.Fleet.Offline.Clear();
        h.Bump("2.6.0");

        var report = await h.Walker().CatchUpAsync(wait: true, TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Empty(report.Remaining);
        var released = h.AuditEntries(AuditActions.CatchUpRelease);
        Assert.Equal(["store-04", "store-07"], released.SelectMany(e => e.Record.Stores!).Order(StringComparer.Ordinal));
        Assert.All(released, e => Assert.Equal(WalkerHarness.Release("2.5.0").Key, e.Record.Release));
        Assert.All(h.Applier.History.Keys, ring => Assert.Equal(WalkerHarness.Release("2.5.0"), h.Applier.Current(ring)));
        Assert.DoesNotContain(h.Applier.Commits, c => c.Contains("2.6.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_StoreRegisteringWhileItsRingIsWalked_JoinsTheDeliveryAsAnOnlineStoreWould()
    {
        using var h = new WalkerHarness();
        h.Fleet.Unregistered.Add("store-04");
        // Its agent checks in during the ring's first gate evaluation.
        h.HealthVerdict = c =>
        {
            if (c.Ring.Name == "early") h.Fleet.Unregistered.Clear();
            return GateResult.Successful("health", "ok");
        };

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        Assert.Equal(["store-04"], h.AuditEntries(AuditActions.RegistrationPause).Where(e => e.Record.Ring == "early").SelectMany(e => e.Record.Stores!));
        // pos is a next-window change to a ring that runs an earlier release: the online stores wait for their window,
        // so does the store that registered (the harness's windows are 01:00-04:00 UTC), rather than getting it at once.
        Assert.Empty(h.AuditEntries(AuditActions.RegistrationRelease));
        var release = Assert.Single(h.AuditEntries(AuditActions.WindowRelease), e => e.Record.Stores!.Contains("store-04"));
        Assert.InRange(release.Record.Time.UtcDateTime.Hour, 1, 3);
        Assert.DoesNotContain(new CatchUpStore(h.Paths).List(), e => e.Store == "store-04");
    }

    [Theory]
    [InlineData(ChangeClass.Immediate)]
    [InlineData(ChangeClass.NextWindow)]
    public async Task CatchUpAsync_StoreRegisteringAfterItsRingWasWalked_IsReleasedByItsClass(ChangeClass changeClass)
    {
        using var h = new WalkerHarness();
        h.CatchUpClasses["pos"] = changeClass;
        h.Fleet.Unregistered.Add("store-04");

        var result = await h.RunAsync();

        // Silent past the registration grace, it counted offline: the ring neither failed nor waited for it.
        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        var entry = Assert.Single(new CatchUpStore(h.Paths).List(), e => e.Store == "store-04");
        Assert.Equal((true, CatchUpCause.Offline, changeClass), (entry.Paused, entry.Cause, entry.Class));
        h.Fleet.Unregistered.Clear();
        var registered = h.Clock.GetUtcNow();

        var report = await h.Walker().CatchUpAsync(wait: true, TimeSpan.FromDays(1), CancellationToken.None);

        Assert.DoesNotContain(report.Remaining, r => r.Entry.Store == "store-04");
        Assert.Empty(h.AuditEntries(AuditActions.RegistrationRelease));
        var release = Assert.Single(h.AuditEntries(AuditActions.CatchUpRelease), e => e.Record.Stores!.Contains("store-04"));
        if (changeClass == ChangeClass.Immediate)
            Assert.InRange(release.Record.Time, registered, registered + WalkerHarness.Interval);
        else
            Assert.InRange(release.Record.Time.UtcDateTime.Hour, 1, 3);
        Assert.Contains(h.AuditEntries(AuditActions.CaughtUp), e => e.Record.Stores!.Contains("store-04"));
    }

    [Fact]
    public async Task CatchUpAsync_HoldForReviewWithoutApproval_StaysPausedAndTheWaitEnds()
    {
        using var h = new WalkerHarness();
        h.CatchUpClasses["pos"] = ChangeClass.HoldForReview;
        h.Fleet.Offline.UnionWith(["store-04"]);
        await h.RunAsync();
        h.Fleet.Offline.Clear();

        var report = await h.Walker().CatchUpAsync(wait: true, TimeSpan.FromHours(2), CancellationToken.None);

        Assert.True(report.Settled);
        Assert.False(report.TimedOut);
        var entry = Assert.Single(report.Remaining).Entry;
        Assert.Equal(("store-04", true), (entry.Store, entry.Paused));
        Assert.Empty(h.AuditEntries(AuditActions.CatchUpRelease));
        Assert.NotNull(entry.ReturnedAt);
    }

    [Fact]
    public async Task CatchUpAsync_ApprovalWhileARolloutHoldsTheLock_RefusedAndNothingRecorded()
    {
        using var h = new WalkerHarness();
        h.CatchUpClasses["pos"] = ChangeClass.HoldForReview;
        h.Fleet.Offline.UnionWith(["store-04"]);
        await h.RunAsync();
        h.Fleet.Offline.Clear();
        var before = new CatchUpStore(h.Paths).List();
        await using var rollout = FileStackLock.Acquire("test (rollout)", h.Paths.Lock,
            new LockHolder("alice@example.com", Environment.MachineName, Environment.ProcessId, "rollout pos=2.5.1"), TimeProvider.System, TimeSpan.FromMinutes(2));
        var asked = false;

        var refused = await Assert.ThrowsAsync<StackLockedException>(() => h.Walker().CatchUpAsync(wait: false, TimeSpan.Zero, CancellationToken.None,
            approve: awaiting => { asked = true; return awaiting.Select(e => e.Store).ToHashSet(StringComparer.Ordinal); }));

        Assert.Contains("alice@example.com", refused.Message);
        Assert.False(asked);
        Assert.Equal(before, new CatchUpStore(h.Paths).List());
        Assert.Empty(h.AuditEntries(AuditActions.CatchUpApprove));
        Assert.Empty(h.AuditEntries(AuditActions.CatchUpRelease));
    }
}
