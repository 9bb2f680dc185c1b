using System.Globalization;
using EdgeInfra.Automation.Releases;
using EdgeInfra.Lab;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>The operations that record an operator's decision: roll back, freeze, hold, approve catch-up.</summary>
public sealed partial class EdgeInfraStack
{
    /// <summary>An emergency rollback: re-applies a ring's last-known-good (or the given) version at once, skipping gates,
    /// windows and freezes, holds the releases it replaced and records the decision.</summary>
    /// <param name="onRing">Receives each ring's outcome as soon as it is known (every ring in order with <c>Ring</c> null).</param>
    public async Task<IReadOnlyList<RingRollback>> RollbackAsync(RollbackRequest request, Action<RingRollback>? onRing = null, CancellationToken ct = default)
    {
        if (request.ToVersion is not null && request.Ring is null)
            throw new UsageException("--to names a version of one ring stack; use it with --ring");
        // What was applied is re-rendered with the digests it recorded; a rollback or catch-up never reaches a registry.
        var ws = await LoadAsync(ImagePinning.Recorded, ct);
        var scope = RolloutScope.Of(ws, Actor);
        var applier = new EngineRingApplier(ws, scope.Source, Time, Verbs.Rollback);
        if (request.Ring is not null) _ = ws.RingStack(request.Ring); // an unknown ring is bad input, named with the known ones
        var rings = request.Ring is null ? ws.Rings.Select(r => r.Name).ToList() : [request.Ring];
        var outcomes = new List<RingRollback>();
        foreach (var r in rings)
        {
            var outcome = await RollbackRingAsync(ws, scope, applier, r, request, ct);
            outcomes.Add(outcome);
            onRing?.Invoke(outcome);
        }
        return outcomes;
    }

    private async Task<RingRollback> RollbackRingAsync(FleetWorkspace ws, RolloutScope scope, EngineRingApplier applier, string r,
        RollbackRequest request, CancellationToken ct)
    {
        var current = await applier.FindVersionAsync(r, LastKnownGood.IsCurrent, ct);
        var held = scope.Holds.List().Select(h => h.Item).ToHashSet(StringComparer.Ordinal);
        RingVersion? target = request.ToVersion is { } v
            ? await applier.FindVersionAsync(r, x => x.Version == v, ct) ?? throw new UsageException($"ring {r} has no recorded update v{v} with a desired state; see edgeinfra history --stack {ws.Stack} --ring {r}")
            : current is null ? null : await applier.FindVersionAsync(r, x => LastKnownGood.Accepts(x, current.Releases, held), ct);
        if (target is null) return new RingRollback(r, current, null, null, [], null);
        var result = await applier.RestoreAsync(r, target.Version, new CatchUpStore(scope.Paths).Paused(), $"{request.Reason} (to v{target.Version})", ct);
        if (!result.Succeeded) return new RingRollback(r, current, target, null, [], result.Error ?? "");
        var replaced = current?.Releases.ChangedFrom(target.Releases) ?? [];
        scope.Holds.Hold(replaced, $"rolled back by hand: {request.Reason}", scope.Actor, Time.GetUtcNow());
        await scope.RecordAsync(Time, AuditActions.Rollback, $"manual: {request.Reason}", r, current?.Releases.Key,
            new Dictionary<string, string>
            {
                ["to"] = target.Version.ToString(CultureInfo.InvariantCulture),
                ["toRelease"] = target.Releases.Key,
                ["commit"] = result.Revision ?? "",
                ["held"] = string.Join(",", replaced),
            }, ct);
        return new RingRollback(r, current, target, result.Revision, replaced, null);
    }

    /// <summary>Freezes the stack: no ring is promoted until <see cref="UnfreezeAsync"/>; rollbacks still run.</summary>
    public async Task<Freeze> FreezeAsync(string reason, CancellationToken ct = default)
    {
        var scope = RolloutScope.Open(_workspace.ProjectDir, Name, Actor);
        if (string.IsNullOrWhiteSpace(reason)) throw new UsageException("--reason must say why the stack is frozen");
        var freeze = new Freeze(reason, scope.Actor, Time.GetUtcNow());
        scope.Freezes.Set(freeze);
        await scope.RecordAsync(Time, AuditActions.Freeze, reason, ct: ct);
        return freeze;
    }

    /// <summary>Records that the actor stopped a running rollout (the walk itself stops by cancellation and stays resumable).</summary>
    public async Task RecordAbortAsync(string rollout, string reason, CancellationToken ct = default)
    {
        var scope = RolloutScope.Open(_workspace.ProjectDir, Name, Actor);
        await scope.RecordAsync(Time, AuditActions.Abort, reason, data: new Dictionary<string, string> { ["rollout"] = rollout }, ct: ct);
    }

    /// <summary>Lifts the stack's freeze; returns the freeze lifted, or null when the stack was not frozen.</summary>
    public async Task<Freeze?> UnfreezeAsync(CancellationToken ct = default)
    {
        var scope = RolloutScope.Open(_workspace.ProjectDir, Name, Actor);
        var lifted = scope.Freezes.Lift();
        if (lifted is not null)
            await scope.RecordAsync(Time, AuditActions.Unfreeze, $"lifted the freeze of {lifted.Actor}: {lifted.Reason}", ct: ct);
        return lifted;
    }

    /// <summary>Holds releases (<c>app=version</c>): neither an apply nor a rollout applies them until unheld.</summary>
    public async Task<HoldResult> HoldAsync(IReadOnlyList<string> releases, string reason, CancellationToken ct = default)
    {
        var scope = RolloutScope.Open(_workspace.ProjectDir, Name, Actor);
        var wanted = ReleaseItems(releases);
        var added = scope.Holds.Hold(wanted, reason, scope.Actor, Time.GetUtcNow());
        foreach (var item in added)
            await scope.RecordAsync(Time, AuditActions.HoldRelease, reason, release: item, ct: ct);
        return new HoldResult(wanted, [.. added]);
    }

    /// <summary>Releases held releases; those not held are reported, not an error here.</summary>
    public async Task<UnholdResult> UnholdAsync(IReadOnlyList<string> releases, CancellationToken ct = default)
    {
        var scope = RolloutScope.Open(_workspace.ProjectDir, Name, Actor);
        var wanted = ReleaseItems(releases);
        var removed = scope.Holds.Unhold(wanted);
        foreach (var hold in removed)
            await scope.RecordAsync(Time, AuditActions.Unhold, $"released the hold of {hold.Actor}: {hold.Reason}", release: hold.Item, ct: ct);
        var missing = wanted.Except(removed.Select(r => r.Item)).ToList();
        return new UnholdResult([.. removed], missing, missing.Count == 0 ? [] : [.. scope.Holds.List()]);
    }

    /// <summary>Releases offline stores as their change class allows and approves hold-for-review ones, under the rollout lock.</summary>
    /// <param name="events">Receives the walker's decisions as they are made.</param>
    /// <param name="approved">Receives the stores approved, when any were, before they are released.</param>
    public async Task<CatchUpRun> CatchUpAsync(CatchUpRequest request, IRolloutTimeline? events = null,
        Action<IReadOnlySet<string>>? approved = null, CancellationToken ct = default)
    {
        var approveIds = request.Approve ?? [];
        if (request.ApproveAll && approveIds.Count > 0) throw new UsageException("--all approves every awaiting store; name stores with --approve or use --all, not both");
        // What was applied is re-rendered with the digests it recorded; a rollback or catch-up never reaches a registry.
        var ws = await LoadAsync(ImagePinning.Recorded, ct);
        var settings = RolloutConfigReader.Load(ws.Config);
        var hubSettings = HubConfigReader.Load(ws.Config, ws.Project.ProjectDir);
        var scope = RolloutScope.Of(ws, Actor);

        TimeProvider time = hubSettings.IsLab ? new LabClock(LabHubOptions.DefaultStartTime) : Time;
        await using var hub = await HubConnector.OpenAsync(ws, time, RolloutWalkerBuilder.StatusPolicy(settings), new HubOpenOptions(), ct);
        var options = new WalkerOptions(settings.GateInterval, settings.HoldTimeout, scope.Actor);
        var walker = await RolloutWalkerBuilder.BuildAsync(ws, hub, scope, options, Time, Verbs.CatchUp,
            events ?? NoTimeline.Instance, NoNotifier.Instance, ct);
        // Approvals are chosen and recorded under the rollout lock, with the pass: a running rollout never loses them.
        Func<IReadOnlyList<CatchUpEntry>, IReadOnlySet<string>>? choose = request.ApproveAll || approveIds.Count > 0
            ? awaiting =>
            {
                var unknown = approveIds.Where(id => awaiting.All(e => e.Store != id)).ToList();
                if (unknown.Count > 0)
                    throw new UsageException($"not awaiting approval: {string.Join(", ", unknown)}" +
                        (awaiting.Count > 0 ? $" (awaiting: {string.Join(", ", awaiting.Select(e => e.Store).Take(10))})" : " (no store awaits approval)"));
                var chosen = (request.ApproveAll ? awaiting : awaiting.Where(e => approveIds.Contains(e.Store))).Select(e => e.Store)
                    .ToHashSet(StringComparer.Ordinal);
                if (chosen.Count > 0) approved?.Invoke(chosen);
                return chosen;
            }
            : null;
        var report = await walker.CatchUpAsync(request.Wait, request.Limit, ct, choose);
        return new CatchUpRun(ws.Stack, report, hub.Clock.GetUtcNow(), ws.Model.Stores.ToDictionary(s => s.Id, StringComparer.Ordinal));
    }

    /// <summary>Release items as <c>app=version</c>, normalised and without repeats; every malformed one named at once.</summary>
    private static IReadOnlyList<string> ReleaseItems(IReadOnlyList<string> items)
    {
        var bad = items.Where(i => ReleaseSet.ParseItem(i) is null).ToList();
        if (bad.Count > 0) throw new UsageException($"releases are written app=version (e.g. pos-app=2.5.0); not: {string.Join(", ", bad)}");
        return [.. items.Select(i => ReleaseSet.ParseItem(i)!.Value).Select(i => ReleaseSet.Item(i.App, i.Version)).Distinct()];
    }
}
