using System.Globalization;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The rollout host's ring walker: applies each ring in order, evaluates its gates every gate interval, then
/// promotes to the next ring, holds, or rolls back. A persisted state machine: kill it at any point and run it again
/// and it resumes, never promoting twice and never skipping a gate.</summary>
/// <remarks>
/// Every transition is written (atomically) before the action it leads to, and every action is idempotent: applying a
/// ring already at the release is the engine's no-op <c>up</c>, re-applying a recorded version that is already applied
/// commits nothing, and each decision carries a key so the audit log records it once. One rollout per stack at a time:
/// a leased lock naming its holder, taken over at once when its holder was killed.
/// </remarks>
public sealed partial class RingWalker
{
    private static readonly TimeSpan LockLease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan RecoveryWatch = TimeSpan.FromMinutes(15);
    private readonly FleetModel _model;
    private readonly IRingApplier _applier;
    private readonly IFleetStatusReader _status;
    private readonly IReadOnlyList<IGate> _gates;
    private readonly RolloutPaths _paths;
    private readonly WalkerOptions _options;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly IRolloutTimeline _timeline;
    private readonly INotifier _notifier;
    private readonly AuditLog _audit;
    private readonly HoldStore _holds;
    private readonly FreezeStore _freezes;
    private readonly CatchUpStore _catchUp;
    private readonly ReleaseSet _release;
    private readonly Dictionary<string, string> _lastSignature = new(StringComparer.Ordinal);

    public RingWalker(FleetModel model, IRingApplier applier, IFleetStatusReader status, IReadOnlyList<IGate> gates,
        RolloutPaths paths, WalkerOptions options, TimeProvider time, IRolloutTimeline timeline, INotifier notifier)
    {
        _model = model;
        _applier = applier;
        _status = status;
        _gates = gates;
        _paths = paths;
        _options = options;
        _time = time;
        _started = time.GetUtcNow();
        _timeline = timeline;
        _notifier = notifier;
        _audit = new AuditLog(paths);
        _holds = new HoldStore(paths);
        _freezes = new FreezeStore(paths);
        _catchUp = new CatchUpStore(paths);
        _release = ReleaseSet.From(model.Apps.Select(a => KeyValuePair.Create(a.Name, a.Version)));
    }

    public ReleaseSet Release => _release;

    /// <summary>Walks the stack's rings until every ring is at the release, the rollout rolls back, or a hold times out.</summary>
    /// <exception cref="StackLockedException">Another rollout of the stack is running; the message names it.</exception>
    public async Task<RolloutResult> RunAsync(CancellationToken ct)
    {
        // The lease is about real processes, so it runs on the real clock whatever clock the rollout runs on.
        await using var held = FileStackLock.Acquire($"{_model.Stack} (rollout)", _paths.Lock,
            LockHolder.Current(_options.Actor, _options.RunBy is { } by ? $"rollout {_release}, {by}" : $"rollout {_release}"), TimeProvider.System, LockLease);
        var (state, finished) = await LoadOrStartAsync(ct);
        if (finished is not null)
        {
            // A rerun of a completed rollout is a catch-up pass: stores back from offline get what their class allows.
            if (finished.Outcome == RolloutOutcome.Completed) await RunCatchUpPassAsync(state, ct);
            return finished;
        }
        try
        {
            var result = await WalkAsync(state, ct);
            if (result.Outcome == RolloutOutcome.Completed) await RunCatchUpPassAsync(state, ct);
            return result;
        }
        finally
        {
            await _notifier.DrainAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task<(RolloutState State, RolloutResult? Finished)> LoadOrStartAsync(CancellationToken ct)
    {
        var existing = AtomicJson.Read<RolloutState>(_paths.State);
        if (existing is not null && existing.Release == _release.Key)
        {
            if (existing.Outcome == RolloutOutcome.Completed)
            {
                Note(existing, null, "complete", $"every ring already reached {_release}");
                return (existing, new RolloutResult(RolloutOutcome.Completed, "already complete", existing));
            }
            if (existing.Outcome == RolloutOutcome.RolledBack && _holds.Blocking(_release).Count > 0)
                return (existing, new RolloutResult(RolloutOutcome.RolledBack, existing.OutcomeReason, existing));
            if (existing.Outcome is RolloutOutcome.Running or RolloutOutcome.HoldTimedOut)
            {
                existing.Outcome = RolloutOutcome.Running;
                existing.OutcomeReason = null;
                foreach (var r in existing.Rings) r.HoldSince = null; // the hold timeout runs per run of the host
                Save(existing);
                // A run killed between writing its state and recording its start: record it now (the key makes it once).
                await AuditAsync(existing, AuditActions.Start, null, "rollout started", key: $"start:{existing.Id}", ct: ct);
                Note(existing, null, "start", $"resuming rollout {existing.Id} of {_release}");
                return (existing, null);
            }
        }
        var blocking = _holds.Blocking(_release);
        if (blocking.Count > 0)
            throw new ReleaseHeldException(_model.Stack, blocking);

        var now = _time.GetUtcNow();
        var state = new RolloutState
        {
            Id = $"{now.UtcDateTime:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..6]}",
            Stack = _model.Stack,
            Release = _release.Key,
            Actor = _options.Actor,
            Started = now,
            Rings = [.. _model.Rings.OrderBy(r => r.Order).Select(r => new RingProgress { Ring = r.Name })],
        };
        Save(state);
        var superseded = existing is { Outcome: RolloutOutcome.Running or RolloutOutcome.HoldTimedOut } ? existing.Release : null;
        await AuditAsync(state, AuditActions.Start, null, superseded is null ? "rollout started" : $"rollout started; supersedes the unfinished rollout of {superseded}",
            key: $"start:{state.Id}", ct: ct);
        Note(state, null, "start", $"rollout {state.Id} of {_release} through {string.Join(" → ", state.Rings.Select(r => r.Ring))}");
        return (state, null);
    }

    private async Task<RolloutResult> WalkAsync(RolloutState state, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (state.Rings.Any(r => r.Phase == RingPhase.RollingBack)) return await FinishRollbackAsync(state, ct);
            var ring = state.Rings.FirstOrDefault(r => r.Phase != RingPhase.Promoted);
            if (ring is null) return await CompleteAsync(state, ct);
            if (state.HeldItems.Count == 0 && _holds.Blocking(_release) is { Count: > 0 } holds)
                return await StopAsync(state, $"the release was put on hold by {holds[0].Actor}: {holds[0].Reason}", ct);

            switch (ring.Phase)
            {
                case RingPhase.Pending:
                    if (_freezes.Current() is { } freeze)
                    {
                        if (await HoldAsync(state, ring, [GateResult.Inconclusive("freeze", FreezeGate.Describe(freeze))], ct) is { } timedOut)
                            return timedOut;
                        await WaitAsync(ct);
                        continue;
                    }
                    var heldItems = _holds.List().Select(h => h.Item).ToHashSet(StringComparer.Ordinal);
                    var lkg = await _applier.FindVersionAsync(ring.Ring, v => LastKnownGood.Accepts(v, _release, heldItems), ct);
                    ring.LastKnownGood = lkg?.Version;
                    ring.LastKnownGoodRelease = lkg?.Releases.Key;
                    ring.HoldSince = null;
                    ring.Phase = RingPhase.Applying;
                    Save(state);
                    break;

                case RingPhase.Applying:
                    Note(state, ring.Ring, "apply", $"applying {StoresIn(ring.Ring).Count} stores at {_release}" +
                        (ring.LastKnownGood is { } v ? $" (last known good: v{v}, {ring.LastKnownGoodRelease})" : " (no earlier version)"));
                    var (signatures, unsigned) = await VerifyBeforeApplyAsync(state, ring, ct);
                    if (unsigned is not null) return unsigned;
                    if (signatures is null) continue;
                    if (_options.HoldsStoresBack && await PauseBeforeApplyAsync(state, ring, ct) is { } notYet)
                    {
                        if (await HoldAsync(state, ring, [GateResult.Inconclusive("fleet-status", notYet)], ct) is { } timedOut) return timedOut;
                        await WaitAsync(ct);
                        continue;
                    }
                    var applied = await _applier.ApplyAsync(ring.Ring, _catchUp.Paused(), $"rollout {state.Id}: {_release}", ct);
                    if (!applied.Succeeded)
                        return new RolloutResult(RolloutOutcome.Stopped, $"applying ring {ring.Ring} failed: {applied.Error}; run the rollout again to retry", state);
                    RecordCatchUpRevision(ring.Ring, applied.Revision);
                    ring.Revision = applied.Revision;
                    ring.AppliedAt ??= _time.GetUtcNow();
                    ring.Phase = RingPhase.Baking;
                    Save(state);
                    await AuditAsync(state, AuditActions.Apply, ring.Ring, $"ring applied at {_release}", key: $"apply:{state.Id}:{ring.Ring}",
                        data: Data([("commit", applied.Revision), ("version", applied.Version?.ToString(CultureInfo.InvariantCulture)),
                            .. applied.Digests.Select(d => ($"digest.{d.Key}", (string?)d.Value)),
                            .. signatures.Select(c => ($"signature.{c.Key}", (string?)c.Value))]), ct: ct);
                    Note(state, ring.Ring, "apply", $"committed {Short(applied.Revision)} (v{applied.Version}){PinnedText(applied.Digests)}; waiting for Fleet");
                    break;

                case RingPhase.Baking:
                    var results = await EvaluateAsync(state, ring, ct);
                    // Stores back from offline, or whose window opened, catch up while the walk goes on.
                    await RunCatchUpPassAsync(state, ct, quiet: true);
                    _lastRead = null;
                    if (results.Any(r => r.Verdict == Verdict.Failed))
                    {
                        await BreachAsync(state, ring, [.. results.Where(r => r.Verdict == Verdict.Failed)], ct);
                        continue;
                    }
                    var inconclusive = results.Where(r => r.Verdict == Verdict.Inconclusive).ToList();
                    if (inconclusive.Count == 0)
                    {
                        ring.Phase = RingPhase.Promoted;
                        ring.PromotedAt = _time.GetUtcNow();
                        ring.HoldSince = null;
                        Save(state);
                        await AuditAsync(state, AuditActions.Promote, ring.Ring, string.Join("; ", results.Select(r => $"{r.Gate}: {r.Reason}")),
                            key: $"promote:{state.Id}:{ring.Ring}", ct: ct);
                        Note(state, ring.Ring, "promote", $"promoted after {Durations.Format(ring.PromotedAt.Value - ring.AppliedAt!.Value)}: " +
                            string.Join(", ", results.Select(r => r.Gate)) + " passed");
                        break;
                    }
                    var holding = inconclusive.Where(r => !r.IsScheduledWait).ToList();
                    if (holding.Count > 0)
                    {
                        if (await HoldAsync(state, ring, holding, ct) is { } timedOut) return timedOut;
                    }
                    else
                    {
                        if (ring.HoldSince is not null)
                        {
                            ring.HoldSince = null;
                            ring.HoldReason = null;
                            Save(state, durable: false);
                        }
                        if (await CheckReadinessDeadlineAsync(state, ring, inconclusive, ct) is { } notReady) return notReady;
                    }
                    await WaitAsync(ct, ring, IdleUntil(ring, inconclusive));
                    break;
            }
        }
    }

    /// <summary>One gate evaluation of a baking ring: read the hub, record the stores' transitions, run every gate.</summary>
    private async Task<IReadOnlyList<GateResult>> EvaluateAsync(RolloutState state, RingProgress ring, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var revisions = RevisionsToRead(state, ring.Ring);
        var fleet = await _status.ReadAsync(_model, revisions, now, ct);
        _lastRead = new HubRead(revisions, now, fleet);
        ring.Evaluations++;
        if (!fleet.Reachable)
        {
            Save(state, durable: false);
            return [GateResult.Inconclusive("fleet-status", $"the hub could not be read: {fleet.Error}")];
        }
        var spec = _model.Rings.First(r => r.Name == ring.Ring);
        var stores = StoresIn(ring.Ring);
        var statuses = stores.ToDictionary(s => s.Id,
            s => fleet.Stores.TryGetValue(s.Id, out var st) ? st : new StoreStatus(s.Id, ring.Ring, StoreState.Pending, null, null, null, "not on the hub yet"),
            StringComparer.Ordinal);
        await ObserveAsync(state, ring, statuses, now, ct);
        var heldBack = _catchUp.List().Where(e => e.Ring == ring.Ring && e.Paused).ToDictionary(e => e.Store, e => e.Cause, StringComparer.Ordinal);
        // Stores paused since they were offline catch up by policy, as offline ones do; those paused for their window, or
        // until they register, are part of the ring's delivery: the ring is ready when they have the change too (a store
        // that does not register within its offline threshold is offline by then).
        var online = statuses.Values.Where(s => s.State != StoreState.Offline && heldBack.GetValueOrDefault(s.StoreId, CatchUpCause.Window) != CatchUpCause.Offline).ToList();
        _inMotion[ring.Ring] = statuses.Values.Any(s => s.State is not (StoreState.Ready or StoreState.Drifted or StoreState.Offline) && !heldBack.ContainsKey(s.StoreId));
        if (ring.ReadyAt is null && online.Count > 0 && online.All(s => s.State is StoreState.Ready or StoreState.Drifted))
        {
            ring.ReadyAt = now;
            Note(state, ring.Ring, "progress", $"ready: {online.Count} online stores on the release" +
                (statuses.Count > online.Count ? $", {statuses.Count - online.Count} offline (they catch up when they return)" : ""));
        }
        Save(state, durable: false);

        var context = new GateContext(_model, spec, stores, _release.Versions, now, ring.AppliedAt!.Value, ring.ReadyAt, statuses) { HeldBack = heldBack };
        var results = new List<GateResult>(_gates.Count);
        foreach (var gate in _gates)
        {
            try
            {
                results.Add(await gate.EvaluateAsync(context, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results.Add(GateResult.Inconclusive(gate.Name, $"the gate could not be evaluated: {e.Message}"));
            }
        }
        var signature = string.Join(",", results.Select(r => $"{r.Gate}:{r.Verdict}"));
        if (_lastSignature.GetValueOrDefault(ring.Ring) != signature)
        {
            _lastSignature[ring.Ring] = signature;
            Note(state, ring.Ring, "gates", string.Join("; ", results.Select(r => $"{r.Gate} {Mark(r.Verdict)} {r.Reason}")), results);
        }
        return results;
    }

    /// <summary>Records each store's state change once (the audit answers "which stores received it, and when").</summary>
    private async Task ObserveAsync(RolloutState state, RingProgress ring, IReadOnlyDictionary<string, StoreStatus> statuses,
        DateTimeOffset now, CancellationToken ct)
    {
        var changed = statuses.Values
            .Where(s => ring.Observed.GetValueOrDefault(s.StoreId) != s.State.ToWire())
            .GroupBy(s => s.State)
            .ToList();
        foreach (var group in changed.OrderBy(g => g.Key))
        {
            var ids = group.Select(s => s.StoreId).Order(StringComparer.Ordinal).ToList();
            await AuditAsync(state, AuditActions.Observe, ring.Ring, $"{ids.Count} store(s) now {group.Key.ToWire()}", ids,
                Data(("state", group.Key.ToWire()), ("revision", ring.Revision)),
                key: $"observe:{state.Id}:{ring.Ring}:{ring.Evaluations}:{group.Key.ToWire()}", ct: ct);
            foreach (var s in group)
            {
                ring.Observed[s.StoreId] = s.State.ToWire();
                if (s.State == StoreState.Ready) ring.ReadySince.TryAdd(s.StoreId, now);
            }
        }
        if (changed.Count > 0)
            Note(state, ring.Ring, "progress", Counts(ring.Observed.Values));
    }

    private async Task<RolloutResult> CompleteAsync(RolloutState state, CancellationToken ct)
    {
        state.Outcome = RolloutOutcome.Completed;
        state.Ended ??= _time.GetUtcNow();
        Save(state);
        await AuditAsync(state, AuditActions.Complete, null, $"every ring reached {_release}", key: $"complete:{state.Id}", ct: ct);
        Note(state, null, "complete", $"every ring reached {_release} in {Durations.Format(state.Ended.Value - state.Started)}");
        Notify("completed", state, null, $":white_check_mark: {_model.Stack}: every ring reached {_release}", null, []);
        return new RolloutResult(RolloutOutcome.Completed, null, state);
    }

    private async Task<RolloutResult> StopAsync(RolloutState state, string reason, CancellationToken ct)
    {
        state.Outcome = RolloutOutcome.Stopped;
        state.OutcomeReason = reason;
        state.Ended = _time.GetUtcNow();
        Save(state);
        await AuditAsync(state, AuditActions.Override, null, $"rollout stopped: {reason}", key: $"stop:{state.Id}", ct: ct);
        Note(state, null, "note", $"stopped: {reason}");
        return new RolloutResult(RolloutOutcome.Stopped, reason, state);
    }

    /// <summary>The applied revisions of the rings a gate evaluation of <paramref name="ring"/> reads: that ring's, and
    /// those of rings with stores awaiting catch-up (the pass after it reuses the read). The promoted rings' other
    /// stores decide nothing here, and reading them cost the whole fleet at every evaluation of the last rings.</summary>
    private Dictionary<string, string> RevisionsToRead(RolloutState state, string ring)
    {
        var rings = _catchUp.List().Select(e => e.Ring).Append(ring).ToHashSet(StringComparer.Ordinal);
        return AppliedRevisions(state).Where(r => rings.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }

    private Dictionary<string, string> AppliedRevisions(RolloutState state) =>
        state.Rings.Where(r => r.Revision is not null && r.Phase is RingPhase.Baking or RingPhase.Promoted)
            .ToDictionary(r => r.Ring, r => r.Revision!, StringComparer.Ordinal);

    /// <summary>The ring's stores (the model does not change during a walk, so each ring's list is made once).</summary>
    private IReadOnlyList<Store> StoresIn(string ring)
    {
        if (!_storesByRing.TryGetValue(ring, out var stores)) _storesByRing[ring] = stores = [.. _model.StoresInRing(ring)];
        return stores;
    }

    private readonly Dictionary<string, IReadOnlyList<Store>> _storesByRing = new(StringComparer.Ordinal);

    private Dictionary<string, Store>? _storesById;

    private Dictionary<string, Store> StoresById => _storesById ??= _model.Stores.ToDictionary(s => s.Id, StringComparer.Ordinal);

    private void Save(RolloutState state, bool durable = true) => AtomicJson.Write(_paths.State, state, durable && _paths.Durable);

    private Task AuditAsync(RolloutState state, string action, string? ring, string reason, IReadOnlyList<string>? stores = null,
        IReadOnlyDictionary<string, string>? data = null, string? key = null, CancellationToken ct = default) =>
        _audit.AppendAsync(new AuditRecord(_time.GetUtcNow(), _options.Actor, action, state.Stack, ring, _release.Key, reason, stores, data, key), ct);

    private void Notify(string kind, RolloutState state, string? ring, string text, string? reason, IReadOnlyList<string> stores) =>
        _notifier.Notify(new RolloutNotification(kind, state.Stack, ring, _release.Key, text, reason, stores, _time.GetUtcNow()));

    private void Note(RolloutState state, string? ring, string kind, string text, IReadOnlyList<GateResult>? gates = null)
    {
        var now = _time.GetUtcNow();
        _timeline.Write(new TimelineEvent(now, now - state.Started, ring, kind, text) { Gates = gates });
    }

    private static Dictionary<string, string> Data(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    internal static string Counts(IEnumerable<string> states) =>
        string.Join(", ", states.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    private static string Short(string? sha) => sha is { Length: >= 7 } ? sha[..7] : sha ?? "(no commit)";

    private static string Mark(Verdict v) => v switch
    {
        Verdict.Successful => "✓",
        Verdict.Failed => "✗",
        _ => "…",
    };
}

/// <summary>How a run of the walker ended.</summary>
public sealed record RolloutResult(RolloutOutcome Outcome, string? Reason, RolloutState State);
