using EdgeInfra.Components.Sharding;

namespace EdgeInfra.Lab.Simulator;

/// <summary>Fleet's controllers as the simulator runs them: the default one and one per configured shard, each taking
/// the Bundles labelled with its shard (rancher/fleet at 3b2c622c, <c>pkg/sharding/sharding.go</c> <c>ShouldProcess</c>;
/// <c>internal/cmd/controller/reconciler/bundle_controller.go</c> <c>FilterByShardID</c>) with a throughput of its own.</summary>
/// <remarks>
/// With <c>controllerThroughput</c> set, a Bundle reconcile costs its target count divided by the throughput of
/// controller time: a controller works through its reconciles one after another, so one controller over 50,000
/// stores spends on every pass what each of four shards spends on a quarter of them, at the same time. A reconcile
/// takes effect when its controller time is spent (the Reconcile event is re-queued, marked as claimed, at the end).
/// </remarks>
internal sealed partial class FleetSimulation
{
    private const string ShardRefLabel = FleetSharding.ShardRefLabel;

    /// <summary>The <see cref="SimEvent.Attempt"/> of a Reconcile whose controller time is already spent.</summary>
    private const int ClaimedReconcile = 1;

    /// <summary>Whether a controller takes objects with these labels: the default one those without a shard-ref, a
    /// shard's those with its id; an id the hub does not run is taken by none.</summary>
    private bool HasController(IReadOnlyDictionary<string, string> labels) =>
        !labels.TryGetValue(ShardRefLabel, out var shard) || _setup.ControllerShards.Contains(shard);

    /// <summary>Takes the bundle's controller time for a reconcile now; true when the reconcile was deferred (its
    /// controller is busy, or the work takes time), false when it runs at once.</summary>
    private bool ClaimController(SimBundle b)
    {
        if (!HasController(b.Labels))
        {
            b.ReconcileScheduled = false;
            return true;
        }
        var throughput = _setup.Settings.Agents.ControllerThroughput;
        if (throughput <= 0) return false;
        var controller = b.Labels.GetValueOrDefault(ShardRefLabel) ?? "";
        var busyUntil = State.ControllerBusyUntil.GetValueOrDefault(controller);
        var start = busyUntil > State.Now ? busyUntil : State.Now;
        var targets = TargetCount(b);
        var cost = TimeSpan.FromSeconds(Math.Max(1, targets) / throughput);
        State.ControllerBusyUntil[controller] = start + cost;
        State.Queue.Schedule(start + cost, SimEventKind.Reconcile, b.Key, ClaimedReconcile);
        return true;
    }

    /// <summary>Bundles whose targets were resolved anew when their reconcile was claimed: the reconcile then still
    /// treats its target list as new (and deletes the BDs of clusters it no longer targets).</summary>
    private readonly HashSet<string> _targetsResolvedAtClaim = new(StringComparer.Ordinal);

    private int TargetCount(SimBundle b)
    {
        if (!_targetCache.ContainsKey(b.Key)) _targetsResolvedAtClaim.Add(b.Key);
        return Targets(b, Groups(b.Namespace)).List.Count;
    }
}
