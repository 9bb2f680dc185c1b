using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The walker's catch-up passes (ARCHITECTURE.md §9, <see cref="CatchUpPolicy"/>): the stores held back when
/// their ring was applied (RingWalker.Pauses.cs) are released when their class allows, and each store's catch-up is
/// recorded when it settles on the change.</summary>
public sealed partial class RingWalker
{
    /// <summary>Catch-up passes outside a rollout (<c>edgeinfra catch-up</c>): one, or with <paramref name="wait"/> one
    /// every gate interval until nothing is left that the policy may release (what remains awaits approval) or
    /// <paramref name="timeout"/> passes. Takes the stack's rollout lock, so it never races a rollout; approvals are
    /// recorded under it too.</summary>
    /// <param name="approve">Chooses, from the stores awaiting approval, those an operator approves (it may throw to
    /// refuse the request); null approves none.</param>
    public async Task<CatchUpReport> CatchUpAsync(bool wait, TimeSpan timeout, CancellationToken ct,
        Func<IReadOnlyList<CatchUpEntry>, IReadOnlySet<string>>? approve = null)
    {
        await using var held = FileStackLock.Acquire($"{_model.Stack} (rollout)", _paths.Lock,
            LockHolder.Current(_options.Actor, $"catch-up {_release}"), TimeProvider.System, LockLease);
        if (approve is not null) await ApproveAsync(approve, ct);
        var state = AtomicJson.Read<RolloutState>(_paths.State);
        var until = _time.GetUtcNow() + timeout;
        while (true)
        {
            var report = await CatchUpPassAsync(state, ct);
            if (!wait || report.Settled) return report;
            if (_time.GetUtcNow() >= until) return report with { TimedOut = true };
            await WaitAsync(ct);
        }
    }

    /// <summary>Records the approvals <paramref name="approve"/> chooses among the stores awaiting one, and audits them.</summary>
    private async Task ApproveAsync(Func<IReadOnlyList<CatchUpEntry>, IReadOnlySet<string>> approve, CancellationToken ct)
    {
        var entries = _catchUp.List();
        var awaiting = entries.Where(e => e is { Class: ChangeClass.HoldForReview, Paused: true, Approved: false }).ToList();
        var chosen = approve(awaiting);
        if (chosen.Count == 0) return;
        var now = _time.GetUtcNow(); // the lab records on its virtual clock
        _catchUp.Save(entries.Select(e => chosen.Contains(e.Store) ? e with { ApprovedBy = _options.Actor, ApprovedAt = now } : e));
        await _audit.AppendAsync(new AuditRecord(now, _options.Actor, AuditActions.CatchUpApprove, _model.Stack, null,
            entries.First(e => chosen.Contains(e.Store)).Release, $"approved the hold-for-review catch-up of {chosen.Count} store(s)",
            [.. chosen.Order(StringComparer.Ordinal)]), ct);
    }

    /// <summary>One catch-up pass: reads the hub once; records the stores that caught up (ready on the change they
    /// missed, online); releases the paused ones their class now allows, at most the ring's <c>maxUnavailable</c> in
    /// flight at once, in one commit per ring.</summary>
    private async Task<CatchUpReport> CatchUpPassAsync(RolloutState? state, CancellationToken ct)
    {
        var entries = _catchUp.List().ToList();
        if (entries.Count == 0) return new CatchUpReport([], [], [], null);
        var now = _time.GetUtcNow();
        var revisions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in entries.GroupBy(e => e.Ring))
            revisions[g.Key] = g.Select(e => e.Revision).FirstOrDefault(r => r is not null)
                               ?? state?.Rings.FirstOrDefault(r => r.Ring == g.Key)?.Revision ?? "(unknown)";
        // The walk's gate evaluation has just read the hub at these revisions: reuse it rather than read it again.
        var fleet = _lastRead is { } last && revisions.All(r => last.Revisions.GetValueOrDefault(r.Key) == r.Value)
            ? last.Status
            : await _status.ReadAsync(_model, revisions, now, ct);
        if (!fleet.Reachable) return new CatchUpReport([.. entries.Select(e => new CatchUpItem(e, null))], [], [], fleet.Error);

        var stores = StoresById;
        var caughtUp = new List<CatchUpEntry>();
        var remaining = new List<CatchUpItem>();
        var release = new List<CatchUpEntry>();
        foreach (var ring in entries.GroupBy(e => e.Ring).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var spec = _model.Rings.FirstOrDefault(r => r.Name == ring.Key);
            // A store is released into what its ring runs, never into the configured release: only when the ring still
            // runs the release the store awaits (a rolled-back or not yet opened ring keeps it paused for its rollout).
            ReleaseSet? current = null;
            var looked = false;
            async Task<bool> RingRunsAsync(string release)
            {
                if (WalkedAt(state, ring.Key, release)) return true;
                if (!looked) (current, looked) = ((await _applier.FindVersionAsync(ring.Key, LastKnownGood.IsCurrent, ct))?.Releases, true);
                return current?.Key == release;
            }
            // Stores that catch up in this very pass are no longer in flight: their share of the budget is free again.
            var inFlight = ring.Count(e => e is { Paused: false, ReleasedAt: not null } && !HasCaughtUp(e, fleet.Stores.GetValueOrDefault(e.Store)));
            var budget = CatchUpPolicy.ReleaseBudget(StoresIn(ring.Key).Count, spec?.MaxUnavailable ?? "1", inFlight);
            foreach (var entry in ring.OrderBy(e => e.Since).ThenBy(e => e.Store, StringComparer.Ordinal))
            {
                var status = fleet.Stores.GetValueOrDefault(entry.Store);
                var e = entry;
                if (status is { State: not StoreState.Offline, Registered: true } && e.ReturnedAt is null) e = e with { ReturnedAt = now };
                if (!stores.TryGetValue(e.Store, out var store) || store.Ring != e.Ring)
                {
                    // Left the fleet or moved ring: its new ring's rollout decides what it gets.
                    caughtUp.Add(e);
                    continue;
                }
                if (e is { Cause: CatchUpCause.Unregistered, Paused: true })
                {
                    if (status is { Registered: true, State: not StoreState.Offline } && BeingWalked(state, e) is { } walked)
                    {
                        // Registered while its ring is walked: it joins the ring's delivery as an online store would have.
                        if (OnlineStoresWaitForWindows(walked) && MaintenanceWindow.Of(store) is not null)
                            e = e with { Cause = CatchUpCause.Window, Class = ChangeClass.NextWindow };
                        else if (await RingRunsAsync(e.Release))
                        {
                            // No budget: its BD never deployed, so Fleet counts it unavailable already and would have
                            // promoted it whatever maxUnavailable says (isUnavailable in target/partition.go).
                            release.Add(e);
                            remaining.Add(new CatchUpItem(e with { Paused = false, ReleasedAt = now }, status));
                            continue;
                        }
                    }
                    else if (status is { Registered: true } || status?.State == StoreState.Offline)
                        // Registered after its ring's walk, or silent past its offline threshold: an offline store like
                        // any other, caught up by its class, and left out of the ring's readiness.
                        e = e with { Cause = CatchUpCause.Offline };
                    else
                    {
                        remaining.Add(new CatchUpItem(e, status));
                        continue;
                    }
                }
                if (status is null)
                {
                    // Not on the hub yet (a new store): it awaits its first check-in as an offline one awaits its return.
                    remaining.Add(new CatchUpItem(e, null));
                    continue;
                }
                if (HasCaughtUp(e, status))
                {
                    caughtUp.Add(e);
                    continue;
                }
                if (e is { Paused: false, ReleasedAt: not null, ReleaseRevision: null } && await RingRunsAsync(e.Release))
                {
                    // Marked released by a pass that was killed before its commit: commit it now (the apply is idempotent).
                    release.Add(e);
                    remaining.Add(new CatchUpItem(e, status));
                    continue;
                }
                var decision = CatchUpPolicy.Decide(e.Class, e.Paused, e.Approved, status.State, MaintenanceWindow.Of(store), now);
                if (decision == CatchUpDecision.Release && budget > 0 && await RingRunsAsync(e.Release))
                {
                    budget--;
                    release.Add(e);
                    remaining.Add(new CatchUpItem(e with { Paused = false, ReleasedAt = now }, status));
                    continue;
                }
                remaining.Add(new CatchUpItem(e, status));
            }
        }

        // The audit first (its keys make a repeat a no-op), then the file: a kill in between records nothing twice.
        foreach (var e in caughtUp.Where(e => e.Cause == CatchUpCause.Window))
            await _audit.AppendAsync(new AuditRecord(now, _options.Actor, AuditActions.WindowDelivered, _model.Stack, e.Ring, e.Release,
                $"has {e.Release}, released inside its maintenance window at {e.ReleasedAt:u}", [e.Store],
                Data(("window", stores.TryGetValue(e.Store, out var s) ? MaintenanceWindow.Of(s)?.Describe() : null), ("released", e.ReleasedAt?.ToString("O")),
                    ("at", now.ToString("O"))), $"window-delivered:{e.Store}:{e.Release}:{e.Since.UtcTicks}"), ct);
        // Stores that registered while their ring was walked are its ordinary delivery: one record per ring and pass (each
        // record is a synced write, and a fleet's first rollout delivers every store this way).
        foreach (var ring in caughtUp.Where(Registered).GroupBy(e => e.Ring))
        {
            var ids = ring.Select(e => e.Store).Order(StringComparer.Ordinal).ToList();
            await _audit.AppendAsync(new AuditRecord(now, _options.Actor, AuditActions.RegistrationDelivered, _model.Stack, ring.Key, ring.First().Release,
                $"{ids.Count} store(s) that registered with the hub while the ring was walked have {ring.First().Release}", ids,
                Data(("at", now.ToString("O"))),
                $"registration-delivered:{ring.Key}:{ring.First().Release}:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join(",", ids))))[..16]}"), ct);
        }
        static bool Registered(CatchUpEntry e) => e is { Cause: CatchUpCause.Unregistered, Paused: false, ReleasedAt: not null };
        foreach (var e in caughtUp.Where(e => e.Cause != CatchUpCause.Window && !Registered(e)))
            await _audit.AppendAsync(new AuditRecord(now, _options.Actor, AuditActions.CaughtUp, _model.Stack, e.Ring, e.Release,
                $"caught up on {e.Release} ({CatchUpPolicy.Name(e.Class)}; " + (e.Cause == CatchUpCause.Unregistered ? "not registered" : "offline") + $" since {e.Since:u}" +
                (e.ReturnedAt is { } back ? $", back {back:u}" : "") + (e.ReleasedAt is { } rel ? $", released {rel:u}" : ", never paused") + ")",
                [e.Store], Data(("class", CatchUpPolicy.Name(e.Class)), ("since", e.Since.ToString("O")), ("returned", e.ReturnedAt?.ToString("O")),
                    ("released", e.ReleasedAt?.ToString("O")), ("at", now.ToString("O"))),
                $"caught-up:{e.Store}:{e.Release}:{e.Since.UtcTicks}"), ct);

        var before = new Dictionary<string, CatchUpEntry>(StringComparer.Ordinal);
        foreach (var e in entries) before.TryAdd(e.Store, e);
        var changed = caughtUp.Count > 0 || release.Count > 0 || remaining.Any(r => before[r.Entry.Store] != r.Entry);
        if (changed) _catchUp.Save(remaining.Select(r => r.Entry));
        foreach (var ring in release.GroupBy(e => e.Ring))
        {
            var ids = ring.Select(e => e.Store).Order(StringComparer.Ordinal).ToList();
            // The ring's own applied release (versions and digests) with the new pauses: a release changes no bundle.
            var applied = await _applier.ReleaseAsync(ring.Key, _catchUp.Paused(), $"{CatchUpPolicy.ReleaseReason}{ids.Count} store(s) ({string.Join(", ", ring.Select(e => CatchUpPolicy.Name(e.Class)).Distinct())})", ct);
            if (!applied.Succeeded)
                return new CatchUpReport(remaining, caughtUp, [], $"releasing {ids.Count} store(s) of ring {ring.Key} failed: {applied.Error}; run catch-up again to retry");
            var set = ids.ToHashSet(StringComparer.Ordinal);
            _catchUp.Save(_catchUp.List().Select(e => set.Contains(e.Store) ? e with { ReleaseRevision = applied.Revision } : e));
            foreach (var cause in ring.GroupBy(e => e.Cause))
            {
                var causeIds = cause.Select(e => e.Store).Order(StringComparer.Ordinal).ToList();
                var window = cause.Key == CatchUpCause.Window;
                var registered = cause.Key == CatchUpCause.Unregistered;
                await _audit.AppendAsync(new AuditRecord(now, _options.Actor,
                    window ? AuditActions.WindowRelease : registered ? AuditActions.RegistrationRelease : AuditActions.CatchUpRelease, _model.Stack,
                    ring.Key, ring.First().Release, window
                        ? $"released {causeIds.Count} store(s) paused for their maintenance window: it is open"
                        : registered ? $"released {causeIds.Count} store(s) whose agents registered with the hub while the ring was walked"
                        : $"released {causeIds.Count} paused store(s): " + string.Join("; ", cause.GroupBy(e => e.Class).Select(g => $"{CatchUpPolicy.Name(g.Key)} {g.Count()}" +
                            (g.Key == ChangeClass.HoldForReview ? " (approved)" : g.Key == ChangeClass.NextWindow ? " (back and inside the window)" : ""))),
                    causeIds, Data(("commit", applied.Revision)),
                    $"{(window ? "window" : registered ? "registration" : "catch-up")}-release:{ring.Key}:{applied.Revision}:{string.Join(",", causeIds)}"), ct);
            }
        }
        return new CatchUpReport(remaining, caughtUp, release, null);
    }

    /// <summary>Whether the rollout in <paramref name="state"/> applied the ring at <paramref name="release"/> and has not
    /// rolled it back: then the ring runs it, with no need to search its history.</summary>
    private static bool WalkedAt(RolloutState? state, string ring, string release) =>
        state is { Outcome: RolloutOutcome.Running or RolloutOutcome.Completed } && state.Release == release &&
        state.Rings.FirstOrDefault(r => r.Ring == ring) is { Phase: RingPhase.Baking or RingPhase.Promoted, Revision: not null };

    /// <summary>An unpaused store that is online and has settled on the change it awaited.</summary>
    private static bool HasCaughtUp(CatchUpEntry entry, StoreStatus? status) =>
        !entry.Paused && status is not null && status.State != StoreState.Offline &&
        (status.State is StoreState.Ready or StoreState.Drifted || status.Settled);

    /// <summary>The hub as the walk's last gate evaluation read it.</summary>
    private sealed record HubRead(IReadOnlyDictionary<string, string> Revisions, DateTimeOffset At, FleetStatus Status);

    private HubRead? _lastRead;

    /// <param name="quiet">During the walk: note only what the pass did, not what still waits.</param>
    private async Task RunCatchUpPassAsync(RolloutState state, CancellationToken ct, bool quiet = false)
    {
        if (quiet && _catchUp.List().Count == 0) return;
        var report = await CatchUpPassAsync(state, ct);
        if (report.Error is { } error) Note(state, null, "catch-up", $"catch-up pass: {error}");
        foreach (var e in report.CaughtUp.Where(e => e.Cause != CatchUpCause.Unregistered)) Note(state, e.Ring, "catch-up", $"{e.Store} caught up ({CatchUpPolicy.Name(e.Class)})");
        // Those that registered while their ring was walked are part of its delivery: its progress notes count them.
        foreach (var ring in report.CaughtUp.Where(e => e.Cause == CatchUpCause.Unregistered).GroupBy(e => e.Ring))
            Note(state, ring.Key, "registration", $"{ring.Count()} store(s) that registered during the walk have the release: {Sample(ring.Select(e => e.Store))}");
        foreach (var group in report.Released.GroupBy(e => e.Cause == CatchUpCause.Unregistered))
            Note(state, null, group.Key ? "registration" : "catch-up", (group.Key ? $"released {group.Count()} store(s) whose agents registered: " : $"released {group.Count()} paused store(s): ") +
                Sample(group.Select(e => e.Store)));
        if (report.Remaining.Count > 0 && !quiet) Note(state, null, "catch-up", $"awaiting catch-up: {report.Describe()}");
    }

    private static ChangeClass Max(ChangeClass a, ChangeClass b) => a > b ? a : b;

    private static string Sample(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return string.Join(", ", list.Take(5)) + (list.Count > 5 ? $" and {list.Count - 5} more" : "");
    }
}
