using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using EdgeInfra.Automation;
using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Service.Status;

namespace EdgeInfra.Tests.Service;

public sealed class StatusSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private const string Revision = "9b19a4fa37f10be9b71da5d025e8e3106cdaec6f";

    [Fact]
    public void From_Report_KeepsNeitherTheReportNorItsInventory()
    {
        // The service idles holding its last snapshot: what it keeps must be the compact rows, not the report, the
        // inventory's Store objects (with their sorted label trees) or the hub's store statuses it was built from.
        var (snapshot, report, store, status) = SnapshotOfDroppedReport();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(report.TryGetTarget(out _), "the snapshot keeps the status report alive");
        Assert.False(store.TryGetTarget(out _), "the snapshot keeps the inventory's Store objects alive");
        Assert.False(status.TryGetTarget(out _), "the snapshot keeps the hub's StoreStatus rows alive");
        Assert.Equal(3, snapshot.Stores.Count);
    }

    [Fact]
    public void From_Report_AnswersStatusAndStoresFromTheReport()
    {
        var snapshot = StatusSnapshot.From(Report(), new StackControls(null, []), null, Now.AddSeconds(1));

        var status = snapshot.Status;
        Assert.Equal(("lab", "lab simulator", 3, Now, Now.AddSeconds(1)), (status.Stack, status.Hub, status.Stores, status.Now, status.AsOf));
        Assert.Equal(2, status.States["ready"]);
        Assert.Equal(1, status.States["offline"]);
        Assert.Equal([("canary", Revision, 2, 1), ("all", null, 1, 1)],
            status.Rings.Select(r => (r.Ring, r.Revision, r.Stores, r.States["ready"])));
        Assert.Equal([("(none)", 1), ("central-europe", 2)], status.Regions.Select(r => (r.Region, r.Stores)));
        Assert.Equal(1, status.AwaitingCatchUp.Single().Value);

        Assert.Equal(["store-de-0001", "store-de-0002", "store-us-0001"], snapshot.Stores.Select(s => s.Id));
        var first = snapshot.Stores[0];
        Assert.Equal(("canary", "central-europe", "ready", Revision), (first.Ring, first.Region, first.State, first.AppliedRevision));
        Assert.Equal(["region", "rollout-ring", "site-id"], first.Labels.Keys);
        var waiting = snapshot.Stores[1].CatchUp;
        Assert.NotNull(waiting);
        Assert.Equal(("offline", true, "back in 2 h"), (waiting.Cause, waiting.Paused, waiting.Waiting));
        Assert.Null(snapshot.Stores[0].CatchUp);
        Assert.Null(snapshot.Stores[2].Region);
        Assert.DoesNotContain("region", snapshot.Stores[2].Labels.Keys);
    }

    [Fact]
    public void From_Report_HoldsRepeatedStringsOnce()
    {
        var snapshot = StatusSnapshot.From(Report(), new StackControls(null, []), null, Now);

        var (a, b) = (snapshot.Stores[0], snapshot.Stores[1]);
        Assert.Same(a.Labels.Keys.First(), b.Labels.Keys.First());
        Assert.Same(a.Labels["region"], b.Labels["region"]);
        Assert.Same(a.Region, b.Region);
        Assert.Same(a.AppliedRevision, b.AppliedRevision);
    }

    [Theory]
    // No rollout opened the ring (applied by `up`): its release is what its ring stack last applied, no phase.
    [InlineData(null, null, "pos-app=2.4.1", false, "pos-app=2.4.1", null)]
    // Never applied and never walked: nothing to show.
    [InlineData(null, null, null, false, null, null)]
    // The walk promoted it and nothing changed it since: the walk's release and phase.
    [InlineData("promoted", "pos-app=2.5.0", "pos-app=2.5.0", false, "pos-app=2.5.0", "promoted")]
    // Rolled back by hand after the walk promoted it: back on the old release, rolled back.
    [InlineData("promoted", "pos-app=2.5.0", "pos-app=2.4.1", true, "pos-app=2.4.1", "rolled-back")]
    // Applied by hand after the walk: the release applied, and no rollout phase describes it.
    [InlineData("promoted", "pos-app=2.5.0", "pos-app=2.5.1", false, "pos-app=2.5.1", null)]
    // The walk is applying the new release: the ring still runs the old one until its update succeeds.
    [InlineData("applying", "pos-app=2.5.0", "pos-app=2.4.1", false, "pos-app=2.4.1", "applying")]
    // Not opened by the latest rollout: what its stack last applied, pending in that rollout.
    [InlineData("pending", "pos-app=2.5.0", "pos-app=2.4.1", false, "pos-app=2.4.1", "pending")]
    public void From_RingAppliedAndWalked_ReleaseIsWhatItsStackLastAppliedAndThePhaseOnlyWhileTheWalkDescribesIt(
        string? walkPhase, string? walkRelease, string? appliedRelease, bool byRollback, string? release, string? phase)
    {
        RolloutState? walk = walkPhase is null ? null : new RolloutState
        {
            Release = walkRelease!,
            Rings = [new RingProgress { Ring = "canary", Phase = Enum.Parse<RingPhase>(walkPhase, ignoreCase: true), LastKnownGoodRelease = "pos-app=2.4.1" }],
        };
        var applied = appliedRelease is null ? new Dictionary<string, AppliedRelease>()
            : new Dictionary<string, AppliedRelease> { ["canary"] = new("canary", appliedRelease, 7, Now, byRollback) };

        var ring = StatusSnapshot.From(Report(), new StackControls(null, []), walk, Now, applied).Status.Rings.Single(r => r.Ring == "canary");

        Assert.Equal((release, phase), (ring.Release, ring.Phase));
    }

    /// <summary>Builds the snapshot in a frame of its own, so nothing but the snapshot and the weak references survive it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (StatusSnapshot, WeakReference<StackStatusReport>, WeakReference<Store>, WeakReference<StoreStatus>) SnapshotOfDroppedReport()
    {
        var report = Report();
        var snapshot = StatusSnapshot.From(report, new StackControls(null, [new ReleaseHold("pos-app@2.4.1", "bad build", "ops", Now)]), null, Now);
        return (snapshot, new(report), new(report.Inventory["store-de-0001"]), new(report.Stores[0]));
    }

    /// <summary>Three stores: two in canary (one offline, awaiting catch-up), one without a region in ring all. Every
    /// string is built anew, as a parse of the inventory and the hub would.</summary>
    private static StackStatusReport Report()
    {
        static string Fresh(string s) => new(s.AsSpan());
        static Store Store(string id, string ring, string? region)
        {
            var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            labels[Fresh("rollout-ring")] = Fresh(ring);
            labels[Fresh("site-id")] = Fresh(id["store-".Length..]);
            if (region is not null) labels[Fresh("region")] = Fresh(region);
            return new Store(Fresh(id), labels.ToImmutable(), new SourceLocation("stores.yaml", 1));
        }
        Store[] inventory = [Store("store-de-0001", "canary", "central-europe"), Store("store-de-0002", "canary", "central-europe"), Store("store-us-0001", "all", null)];
        StoreStatus[] stores =
        [
            new(inventory[0].Id, Fresh("canary"), StoreState.Ready, Now, Fresh(Revision), Fresh(Revision), null),
            new(inventory[1].Id, Fresh("canary"), StoreState.Offline, Now.AddHours(-3), Fresh(Revision), null, "not seen for 3 h"),
            new(inventory[2].Id, Fresh("all"), StoreState.Ready, Now, null, null, null),
        ];
        var catchUp = new CatchUpEntry(inventory[1].Id, "canary", ChangeClass.NextWindow, "pos-app@2.4.1", Revision, Now.AddHours(-2), Paused: true);
        var states = Enum.GetValues<StoreState>();
        RingStatus Ring(string ring, string? revision) => new(ring, revision,
            states.ToDictionary(s => s, s => stores.Count(x => x.Ring == ring && x.State == s)));
        return new StackStatusReport("lab", Now, IsLab: true, Reachable: true, Error: null, [Ring("canary", Revision), Ring("all", null)], stores,
            new Dictionary<string, CatchUpEntry> { [catchUp.Store] = catchUp }, new Dictionary<string, string> { [catchUp.Store] = "back in 2 h" })
        {
            Inventory = inventory.ToDictionary(s => s.Id, StringComparer.Ordinal),
        };
    }
}
