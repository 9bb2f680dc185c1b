using System.Collections.Concurrent;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Automation;

/// <summary>EdgeInfra driven from C# through the Automation API, as a team's own code (or the service) drives it: a
/// small lab project, previewed, applied ring by ring and rolled out, then read back, with no CLI in between.</summary>
public sealed class EdgeInfraStackTests
{
    private const int Stores = 30;

    [Fact]
    public async Task RolloutAsync_SmallLab_WalksEveryRingStreamsEachDecisionAndLeavesEveryOnlineStoreReady()
    {
        using var lab = await SmallLab.CreateAsync(Stores);
        var warnings = new List<string>();
        var stack = EdgeInfraWorkspace.Load(lab.Dir, warning: warnings.Add).Stack("lab");

        var preview = await stack.PreviewAsync();
        Assert.True(preview.HasChanges);
        Assert.Equal(["lab", "lab.retail-region-1", "lab.retail-region-2", "lab.all"], preview.Stacks.Select(s => s.Stack));
        Assert.Equal(Stores, preview.Stacks.Sum(s => s.Stores));
        Assert.All(preview.Stacks.Skip(1), s => Assert.Contains("pos-app=2.4.1", s.Releases));

        var events = new RecordingTimeline();
        var report = await stack.RolloutAsync(events: events);

        Assert.True(report.Completed, report.Result.Reason);
        Assert.All(report.Result.State.Rings, r => Assert.Equal(RingPhase.Promoted, r.Phase));
        Assert.Equal(Stores, report.RingStores.Values.Sum());
        foreach (var ring in new[] { "retail-region-1", "retail-region-2", "all" })
        {
            Assert.Contains(events.Events, e => e.Ring == ring && e.Kind == "apply");
            Assert.Contains(events.Events, e => e.Ring == ring && e.Kind == "promote");
        }
        Assert.Equal("complete", events.Events.Last().Kind);

        var status = await stack.StatusAsync();
        Assert.True(status.Reachable, status.Error);
        Assert.All(status.Rings, r => Assert.NotNull(r.Revision));
        Assert.Equal(Stores, status.Stores.Count);
        Assert.All(status.Stores, s => Assert.Contains(s.State, new[] { StoreState.Ready, StoreState.Offline }));
        Assert.Contains(status.Stores, s => s.State == StoreState.Ready);

        Assert.False((await stack.PreviewAsync()).HasChanges);
        var history = await stack.HistoryAsync("retail-region-1");
        Assert.Equal(["lab", "lab.retail-region-1"], history.Select(h => h.Stack));
        Assert.NotEmpty(history[1].Entries);
        var audit = await stack.AuditAsync();
        Assert.True(audit.Intact, string.Join("; ", audit.Problems));
        Assert.Contains(audit.Entries, e => e.Record.Action == AuditActions.Promote);
        Assert.Contains(audit.Commits, c => c.Trailer(ChangeTrailers.Ring) == "all");
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task ApplyRingAsync_HeldRelease_IsRefusedUntilUnheldThenOpensOnlyThatRing()
    {
        using var lab = await SmallLab.CreateAsync(Stores);
        var stack = EdgeInfraWorkspace.Load(lab.Dir).Stack("lab");

        var held = await stack.HoldAsync(["pos-app=2.4.1"], "checkout errors in staging");
        Assert.Equal(["pos-app=2.4.1"], held.Added);
        await Assert.ThrowsAsync<ReleaseHeldException>(() => stack.ApplyRingAsync("retail-region-1", "first ring"));
        Assert.Empty(FleetRepoFiles(lab));

        var unheld = await stack.UnholdAsync(["pos-app=2.4.1", "pos-app=9.9.9"]);
        Assert.Equal(["pos-app=2.4.1"], unheld.Removed.Select(h => h.Item));
        Assert.Equal(["pos-app=9.9.9"], unheld.NotHeld);
        var applied = await stack.ApplyRingAsync("retail-region-1", "first ring");

        Assert.True(applied.Succeeded, applied.Error);
        Assert.NotNull(applied.Revision);
        Assert.Contains("apps/pos-app/retail-region-1/fleet.yaml", FleetRepoFiles(lab).Keys);
        Assert.DoesNotContain("apps/pos-app/retail-region-2/fleet.yaml", FleetRepoFiles(lab).Keys);
        var status = await stack.StatusAsync(new StatusRequest(Ring: "retail-region-1"));
        Assert.Equal(applied.Revision, Assert.Single(status.Rings).Revision);
        var audit = await stack.AuditAsync();
        Assert.Equal([AuditActions.HoldRelease, AuditActions.Unhold], audit.Entries.Select(e => e.Record.Action));
    }

    private static IReadOnlyDictionary<string, string> FleetRepoFiles(SmallLab lab) =>
        Directory.Exists(lab.Project.FleetRepo) ? lab.FleetTree() : new Dictionary<string, string>();

    private sealed class RecordingTimeline : IRolloutTimeline
    {
        private readonly ConcurrentQueue<TimelineEvent> _events = new();

        public IReadOnlyList<TimelineEvent> Events => [.. _events];

        public void Write(TimelineEvent e) => _events.Enqueue(e);
    }
}
