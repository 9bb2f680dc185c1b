using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Rollout.Walker;

public sealed class RingWalkerTests
{
    [Fact]
    public async Task RunAsync_HealthyRelease_PromotesEveryRingInOrderAfterItsBake()
    {
        using var h = new WalkerHarness();

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        Assert.Equal(["apply canary pos=2.5.0,signage=1.7.0", "apply early pos=2.5.0,signage=1.7.0", "apply all pos=2.5.0,signage=1.7.0"],
            h.Applier.Commits.Skip(3));
        Assert.Equal(["canary", "early", "all"], h.AuditEntries(AuditActions.Promote).Select(e => e.Record.Ring));
        foreach (var ring in result.State.Rings)
        {
            var spec = h.Model.Rings.Single(r => r.Name == ring.Ring);
            Assert.True(ring.PromotedAt - ring.ReadyAt >= spec.Bake, $"{ring.Ring} promoted {ring.PromotedAt} before its bake from {ring.ReadyAt}");
            Assert.True(ring.ReadyAt - ring.AppliedAt >= h.Fleet.ReadyAfter, $"{ring.Ring} was ready before Fleet reported it");
        }
        Assert.True(h.Audit.Read().Intact);
        Assert.Contains(h.Timeline, e => e.Kind == "complete");
    }

    [Fact]
    public async Task RunAsync_FailedVerdictInSecondRing_RollsBackItAndTheRingBeforeItAndHoldsTheRelease()
    {
        using var h = new WalkerHarness();
        h.HealthVerdict = c => c.Ring.Name == "early" && c.RingReadyAt is not null
            ? GateResult.Failed("health", "error rate 7.5% > 1% in western-europe", ["store-03", "store-05"])
            : GateResult.Successful("health", "ok");

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.RolledBack, result.Outcome);
        Assert.Contains("error rate 7.5%", result.Reason);
        Assert.Equal(WalkerHarness.Release("2.4.1"), h.Applier.Current("canary"));
        Assert.Equal(WalkerHarness.Release("2.4.1"), h.Applier.Current("early"));
        Assert.Equal(WalkerHarness.Release("2.4.1"), h.Applier.Current("all"));
        Assert.DoesNotContain(h.Applier.Commits, c => c.StartsWith("apply all", StringComparison.Ordinal));
        Assert.Equal(["pos=2.5.0"], h.Holds.List().Select(x => x.Item));
        // The rollback commits land within one gate interval of the breach (here: in the same evaluation).
        Assert.All(result.State.Rings.Where(r => r.Phase == RingPhase.RolledBack && r.Ring != "all"),
            r => Assert.True(r.RolledBackAt - result.State.BreachAt <= WalkerHarness.Interval, $"{r.Ring} rolled back at {r.RolledBackAt}"));
        var breach = Assert.Single(h.AuditEntries(AuditActions.Breach));
        Assert.Equal(["store-03", "store-05"], breach.Record.Stores);
        Assert.Equal(["early", "canary"], h.AuditEntries(AuditActions.Rollback).Select(e => e.Record.Ring));
    }

    [Fact]
    public async Task RunAsync_AfterRollback_RerunEndsRolledBackAgainAndNewWalkRefusedUntilUnheld()
    {
        using var h = new WalkerHarness();
        h.HealthVerdict = c => c.Ring.Name == "canary" && c.RingReadyAt is not null
            ? GateResult.Failed("health", "p99 900ms > 500ms") : GateResult.Successful("health", "ok");
        await h.RunAsync();
        var commits = h.Applier.Commits.Count;

        var rerun = await h.RunAsync();
        Assert.Equal(RolloutOutcome.RolledBack, rerun.Outcome);
        Assert.Equal(commits, h.Applier.Commits.Count);

        File.Delete(h.Paths.State); // a fresh host with no memory of the rollout still refuses the held release
        var refused = await Assert.ThrowsAsync<ReleaseHeldException>(h.RunAsync);
        Assert.Contains("pos=2.5.0", refused.Message);
        Assert.Contains("edgeinfra unhold --stack test pos=2.5.0", refused.Message);

        h.Holds.Unhold(["pos=2.5.0"]);
        h.HealthVerdict = _ => GateResult.Successful("health", "fixed upstream");
        Assert.Equal(RolloutOutcome.Completed, (await h.RunAsync()).Outcome);
    }

    [Fact]
    public async Task RunAsync_InconclusiveGatePastHoldTimeout_StopsWithTheReasonAndRerunResumes()
    {
        using var h = new WalkerHarness { HoldTimeout = TimeSpan.FromMinutes(20) };
        var prometheusDown = true;
        h.HealthVerdict = _ => prometheusDown
            ? GateResult.Inconclusive("health", "Prometheus unreachable: connection refused")
            : GateResult.Successful("health", "ok");

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.HoldTimedOut, result.Outcome);
        Assert.Contains("ring canary held for 20m", result.Reason);
        Assert.Contains("Prometheus unreachable", result.Reason);
        Assert.Equal(RingPhase.Baking, result.State.Ring("canary").Phase);
        Assert.Single(h.AuditEntries(AuditActions.Hold));

        prometheusDown = false;
        var resumed = await h.RunAsync();
        Assert.Equal(RolloutOutcome.Completed, resumed.Outcome);
        Assert.Single(h.Applier.Commits, c => c.StartsWith("apply canary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RingNeverReady_RunsIntoTheHoldTimeoutInsteadOfWaitingForever()
    {
        using var h = new WalkerHarness { HoldTimeout = TimeSpan.FromMinutes(30) };
        h.Fleet.ReadyAfter = TimeSpan.FromDays(30);

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.HoldTimedOut, result.Outcome);
        Assert.Contains("ring canary not ready 30m after it was applied or its windows opened", result.Reason);
        Assert.Matches(@"applying \d+", result.Reason);
        Assert.Empty(h.AuditEntries(AuditActions.Promote));
    }

    [Fact]
    public async Task RunAsync_StoresWaitingForTheirWindowPastTheHoldTimeout_AreNotLateAndTheRolloutCompletes()
    {
        using var h = new WalkerHarness { HoldTimeout = TimeSpan.FromMinutes(30) };
        h.Fleet.ReadyAfter = TimeSpan.FromMinutes(90);
        h.Fleet.ReadyAfterUnpause = TimeSpan.FromMinutes(10);
        // Every ring's stores wait 80m for their window after the apply, then take 10m more to be ready; those the walker
        // pauses for their own window (02-05 Europe/Budapest) take 10m once released.
        h.Gates.Add(new ScriptedGate("maintenance-window", c => c.Now < c.RingAppliedAt + TimeSpan.FromMinutes(80)
            ? GateResult.Waiting("maintenance-window", "1 store(s) wait for their maintenance window")
            : GateResult.Successful("maintenance-window", "open")));

        var result = await h.RunAsync();

        Assert.True(result.Outcome == RolloutOutcome.Completed, result.Reason);
    }

    [Fact]
    public async Task RunAsync_HubUnreachable_HoldsAndNeverPromotes()
    {
        using var h = new WalkerHarness { HoldTimeout = TimeSpan.FromMinutes(10) };
        h.Fleet.Unreachable = true;

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.HoldTimedOut, result.Outcome);
        Assert.Contains("the hub could not be read: connection refused", result.Reason);
        Assert.Empty(h.AuditEntries(AuditActions.Promote));
        Assert.Empty(h.Health.Seen);
    }

    [Fact]
    public async Task RunAsync_OfflineStores_AreNotFailuresAndDoNotBlockTheRing()
    {
        using var h = new WalkerHarness();
        h.Fleet.Offline.UnionWith(["store-01", "store-04", "store-07"]);

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        Assert.Equal("offline", result.State.Ring("canary").Observed["store-01"]);
        Assert.Contains(h.Timeline, e => e.Ring == "canary" && e.Text.Contains("1 offline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Frozen_BlocksPromotionButNotRollback()
    {
        using var h = new WalkerHarness { HoldTimeout = TimeSpan.FromMinutes(30) };
        h.Freezes.Set(new Freeze("Black Friday", "cab@example.com", WalkerHarness.Start));

        var frozen = await h.RunAsync();
        Assert.Equal(RolloutOutcome.HoldTimedOut, frozen.Outcome);
        Assert.Contains("frozen by cab@example.com", frozen.Reason);
        Assert.Equal(3, h.Applier.Commits.Count); // only the seeds: no ring was opened

        h.Freezes.Lift();
        h.HealthVerdict = c => c.Ring.Name == "early" ? GateResult.Failed("health", "bad") : GateResult.Successful("health", "ok");
        h.Gates.Insert(0, new ScriptedGate("freeze-during-bake", c =>
        {
            if (c.Ring.Name == "early") h.Freezes.Set(new Freeze("incident", "cab@example.com", c.Now));
            return GateResult.Successful("freeze-during-bake", "-");
        }));
        var rolledBack = await h.RunAsync();
        Assert.Equal(RolloutOutcome.RolledBack, rolledBack.Outcome);
        Assert.Equal(WalkerHarness.Release("2.4.1"), h.Applier.Current("early"));
    }

    [Fact]
    public async Task RunAsync_AnotherRolloutHoldsTheLock_RefusedNamingTheHolder()
    {
        using var h = new WalkerHarness();
        await using var other = FileStackLock.Acquire("test (rollout)", h.Paths.Lock,
            new LockHolder("alice@example.com", Environment.MachineName, Environment.ProcessId, "rollout pos=2.5.0"), TimeProvider.System, TimeSpan.FromMinutes(2));

        var refused = await Assert.ThrowsAsync<StackLockedException>(h.RunAsync);

        Assert.Contains("alice@example.com", refused.Message);
        Assert.Contains("rollout pos=2.5.0", refused.Message);
    }

    [Fact]
    public async Task RunAsync_ReleaseBumpedMidRollout_StartsANewWalkFromTheFirstRing()
    {
        using var h = new WalkerHarness { HoldTimeout = TimeSpan.FromMinutes(5) };
        h.HealthVerdict = c => c.Ring.Name == "early" ? GateResult.Inconclusive("health", "no data") : GateResult.Successful("health", "ok");
        Assert.Equal(RolloutOutcome.HoldTimedOut, (await h.RunAsync()).Outcome);

        h.Bump("2.5.1");
        h.HealthVerdict = _ => GateResult.Successful("health", "ok");
        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        Assert.Equal("pos=2.5.1,signage=1.7.0", result.State.Release);
        Assert.Contains(h.AuditEntries(AuditActions.Start), e => e.Record.Reason!.Contains("supersedes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_HoldThenCompletion_NotifiesOncePerHoldAndOnCompletion()
    {
        var notifier = new RecordingNotifier();
        using var h = new WalkerHarness { Notifier = notifier };
        var noData = 3;
        h.HealthVerdict = c => c.Ring.Name == "early" && noData-- > 0
            ? GateResult.Inconclusive("health", "no data") : GateResult.Successful("health", "ok");

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        Assert.Equal(["hold", "completed"], notifier.Sent.Select(n => n.Event));
        Assert.Equal("early", notifier.Sent[0].Ring);
        Assert.Contains("no data", notifier.Sent[0].Text);
        Assert.Equal("pos=2.5.0,signage=1.7.0", notifier.Sent[1].Release);
        Assert.True(notifier.Drains > 0);
    }

    [Fact]
    public async Task RunAsync_Breach_RollsBackARingPutOnTheBadReleaseByHandAndNotifiesTheRollback()
    {
        var notifier = new RecordingNotifier();
        using var h = new WalkerHarness { Notifier = notifier };
        await h.Applier.ApplyAsync("all", new HashSet<string>(), "an up --ring all by hand", CancellationToken.None);
        h.HealthVerdict = c => c.Ring.Name == "canary" && c.RingReadyAt is not null
            ? GateResult.Failed("health", "p99 2s > 500ms") : GateResult.Successful("health", "ok");

        var result = await h.RunAsync();

        Assert.Equal(RolloutOutcome.RolledBack, result.Outcome);
        Assert.Equal(WalkerHarness.Release("2.4.1"), h.Applier.Current("all"));
        Assert.Equal(WalkerHarness.Release("2.4.1"), h.Applier.Current("early")); // never on the bad release: untouched
        Assert.DoesNotContain(h.Applier.Commits, c => c.StartsWith("restore early", StringComparison.Ordinal));
        var rollback = Assert.Single(notifier.Sent, n => n.Event == "rollback");
        Assert.Contains("p99 2s", rollback.Text);
        Assert.Contains("store-00", rollback.Stores);
    }
}
