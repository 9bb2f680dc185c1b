using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The walker's offline catch-up (ARCHITECTURE.md §9, <see cref="CatchUpPolicy"/>): it pauses the offline stores
/// of a ring as the ring is applied, whatever the class of the change they miss, and a catch-up pass releases
/// them when their class allows, then records when each store caught up.</summary>
public sealed partial class RingWalker
{
    /// <summary>Before a ring is applied: records which of its stores are held back from the change, paused, written
    /// before the apply, which renders the pauses into the same commit as the change. Every offline store, under the
    /// strictest class of the changes it misses, and every store not registered with the hub yet (no Cluster, or one its
    /// agent never checked in to), which Fleet would hand the change the moment it registers (see
    /// <see cref="CatchUpCause.Unregistered"/>). For a <c>next-window</c> (or stricter) change to a ring that runs an
    /// earlier release, also every online store with a maintenance window: those it admits now get the change at once up to the ring's <c>maxUnavailable</c>
    /// (recorded as released, so later releases count them in flight), the rest wait paused for their window.
    /// Returns why the ring may not be applied yet: the hub cannot be read and a pause may be needed (the walker holds
    /// rather than surprise the stores it could not see); null to go ahead.</summary>
    private async Task<string?> PauseBeforeApplyAsync(RolloutState state, RingProgress ring, CancellationToken ct)
    {
        var changed = ChangedApps(ring);
        var changeClass = CatchUpPolicy.Strictest(_model.Apps, changed, _options.CatchUpClasses);
        var now = _time.GetUtcNow();
        // Any revision for the ring being opened: the classifier judges liveness before it looks at any commit.
        var revisions = AppliedRevisions(state);
        revisions[ring.Ring] = ring.Revision ?? "(opening)";
        var fleet = await _status.ReadAsync(_model, revisions, now, ct);
        if (!fleet.Reachable)
            return $"the hub could not be read: {fleet.Error} (a {CatchUpPolicy.Name(changeClass)} change waits until its offline stores are known)";
        var stores = StoresIn(ring.Ring);
        // Not registered: Fleet gives a Cluster its namespace as soon as it exists, agent or not, so its BundleDeployments
        // are created at once; a never-deployed BD is unavailable, so the new deployment ID is promoted to it whatever
        // maxUnavailable says, and an agent that registers applies it at once. Paused, the BD keeps an empty deployment ID
        // and the agent skips it. (rancher/fleet 3b2c622c: internal/cmd/controller/agentmanagement/controllers/cluster/
        // controller.go L114-122 OnClusterChanged; internal/cmd/controller/target/partition.go L40-55 and L99-118,
        // status.go L77-83 isUnavailable; target.go L70 and L92-95; internal/cmd/agent/controller/
        // bundledeployment_controller.go L146-151.)
        var unregistered = stores.Where(s => fleet.Stores.GetValueOrDefault(s.Id) is not { Registered: true })
            .Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var offline = stores.Where(s => fleet.Stores.GetValueOrDefault(s.Id) is { Registered: true, State: StoreState.Offline })
            .Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var entries = _catchUp.List().ToDictionary(e => e.Store, StringComparer.Ordinal);
        var changedEntries = false;
        foreach (var e in entries.Values.Where(e => e.Ring == ring.Ring && e.Release != _release.Key).ToList())
        {
            // Still waiting from an earlier release: it now misses this one too.
            entries[e.Store] = e with { Release = _release.Key, Class = Max(e.Class, changeClass), Revision = null };
            changedEntries = true;
        }
        var paused = new List<string>();
        var pausedUnregistered = new List<string>();
        foreach (var id in offline.Concat(unregistered).Order(StringComparer.Ordinal))
        {
            if (entries.TryGetValue(id, out var e) && e.Release == _release.Key && e.Class >= changeClass && e.Paused)
                continue; // recorded by a run that was killed before its apply
            var cause = unregistered.Contains(id) ? CatchUpCause.Unregistered : CatchUpCause.Offline;
            entries[id] = e is null
                ? new CatchUpEntry(id, ring.Ring, changeClass, _release.Key, null, now, true) { Cause = cause }
                : e with { Class = Max(e.Class, changeClass), Release = _release.Key, Paused = true };
            (cause == CatchUpCause.Unregistered ? pausedUnregistered : paused).Add(id);
            changedEntries = true;
        }
        // Not on a ring's first release: nothing of ours runs there for a restart to interrupt, and Fleet counts a paused
        // cluster that never had the bundle as unavailable (isUnavailable in target/partition.go), so pausing online
        // stores would stall the ring's partitions instead of pacing them.
        var onlineClass = OnlineClass(changed);
        var (waiting, released) = OnlineStoresWaitForWindows(ring)
            ? HoldOutsideWindows(ring.Ring, stores.Where(s => !offline.Contains(s.Id) && !unregistered.Contains(s.Id)), entries, now)
            : ([], []);
        changedEntries |= waiting.Count > 0 || released.Count > 0;
        if (!changedEntries) return null;
        _catchUp.Save(entries.Values);
        if (offline.Count > 0)
        {
            await AuditAsync(state, AuditActions.CatchUpPause, ring.Ring,
                $"{paused.Count} offline store(s) paused: they miss a {CatchUpPolicy.Name(changeClass)} change",
                [.. offline.Order(StringComparer.Ordinal)], Data(("class", CatchUpPolicy.Name(changeClass)), ("paused", paused.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                key: $"catch-up-pause:{state.Id}:{ring.Ring}", ct: ct);
            Note(state, ring.Ring, "catch-up", $"{paused.Count} offline store(s) paused until their {CatchUpPolicy.Name(changeClass)} catch-up: {Sample(paused)}");
        }
        if (unregistered.Count > 0)
        {
            await AuditAsync(state, AuditActions.RegistrationPause, ring.Ring,
                $"{pausedUnregistered.Count} store(s) not registered with the hub paused: their agents get the {CatchUpPolicy.Name(changeClass)} change only once released",
                [.. unregistered.Order(StringComparer.Ordinal)], Data(("class", CatchUpPolicy.Name(changeClass)), ("cause", "unregistered"),
                    ("paused", pausedUnregistered.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                key: $"registration-pause:{state.Id}:{ring.Ring}", ct: ct);
            Note(state, ring.Ring, "registration", $"{pausedUnregistered.Count} store(s) not registered with the hub yet: created paused until their agents check in: {Sample(pausedUnregistered)}");
        }
        if (waiting.Count > 0 || released.Count > 0)
        {
            await AuditAsync(state, AuditActions.WindowPause, ring.Ring,
                $"{waiting.Count} online store(s) paused until their maintenance window; {released.Count} inside their window get the change now",
                waiting, Data(("class", CatchUpPolicy.Name(onlineClass)), ("cause", "window"), ("released", string.Join(",", released))),
                key: $"window-pause:{state.Id}:{ring.Ring}", ct: ct);
            Note(state, ring.Ring, "window", $"{waiting.Count} store(s) wait paused for their maintenance window" +
                (released.Count > 0 ? $"; {released.Count} inside it get the change now: {Sample(released)}" : ""));
        }
        return null;
    }

    /// <summary>The class online stores take a change under: the apps' own (<c>rollout.catchUp</c> is about stores coming back).</summary>
    private ChangeClass OnlineClass(IEnumerable<string> changedApps) =>
        CatchUpPolicy.Strictest(_model.Apps, changedApps, new Dictionary<string, ChangeClass>(StringComparer.Ordinal));

    /// <summary>Whether the ring's online stores wait for their maintenance windows at this release: a <c>next-window</c>
    /// (or stricter) change to a ring that runs an earlier release.</summary>
    private bool OnlineStoresWaitForWindows(RingProgress ring) =>
        ring.LastKnownGood is not null && OnlineClass(ChangedApps(ring)) >= ChangeClass.NextWindow;

    /// <summary>The apps whose version the release changes in the ring, from its last known good release.</summary>
    private List<string> ChangedApps(RingProgress ring) =>
        [.. _release.ChangedFrom(ring.LastKnownGoodRelease is { } k ? ReleaseSet.Parse(k) : null)
            .Select(ReleaseSet.ParseItem).OfType<(string App, string Version)>().Select(i => i.App)];

    /// <summary>The ring an entry waits in, while this rollout is walking it at the entry's release (applied, gates not
    /// all passed yet); null once it was promoted, rolled back, or when no rollout runs.</summary>
    private static RingProgress? BeingWalked(RolloutState? state, CatchUpEntry entry) =>
        state is { Outcome: RolloutOutcome.Running } && state.Release == entry.Release &&
        state.Rings.FirstOrDefault(r => r.Ring == entry.Ring) is { Phase: RingPhase.Baking } ring ? ring : null;

    /// <summary>The online stores of a ring opened with a <c>next-window</c> change: each with a window gets an entry,
    /// released now when its window admits the change and the ring's release budget allows, else paused.</summary>
    private (List<string> Waiting, List<string> Released) HoldOutsideWindows(string ringName, IEnumerable<Store> online,
        Dictionary<string, CatchUpEntry> entries, DateTimeOffset now)
    {
        var spec = _model.Rings.First(r => r.Name == ringName);
        var inFlight = entries.Values.Count(e => e.Ring == ringName && e is { Paused: false, ReleasedAt: not null });
        var budget = CatchUpPolicy.ReleaseBudget(StoresIn(ringName).Count, spec.MaxUnavailable, inFlight);
        var waiting = new List<string>();
        var released = new List<string>();
        foreach (var store in online.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            if (entries.ContainsKey(store.Id) || MaintenanceWindow.Of(store) is not { } window) continue;
            var admitted = window.Admits(now) && budget > 0;
            if (admitted) budget--;
            entries[store.Id] = new CatchUpEntry(store.Id, ringName, ChangeClass.NextWindow, _release.Key, null, now, !admitted)
            {
                Cause = CatchUpCause.Window,
                ReleasedAt = admitted ? now : null,
            };
            (admitted ? released : waiting).Add(store.Id);
        }
        return (waiting, released);
    }

    /// <summary>After a ring's apply: the entries of the release learn the commit they await (and those it released, the
    /// commit that released them).</summary>
    private void RecordCatchUpRevision(string ring, string? revision)
    {
        var entries = _catchUp.List();
        bool Mine(CatchUpEntry e) => e.Ring == ring && e.Release == _release.Key;
        if (!entries.Any(e => Mine(e) && (e.Revision != revision || e is { Paused: false, ReleasedAt: not null, ReleaseRevision: null }))) return;
        // Stores released by the apply itself (inside their window) got it in the same commit.
        _catchUp.Save(entries.Select(e => !Mine(e) ? e : e with
        {
            Revision = revision,
            ReleaseRevision = e is { Paused: false, ReleasedAt: not null } ? e.ReleaseRevision ?? revision : e.ReleaseRevision,
        }));
    }

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

        var stores = _model.Stores.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var caughtUp = new List<CatchUpEntry>();
        var remaining = new List<CatchUpItem>();
        var release = new List<CatchUpEntry>();
        foreach (var ring in entries.GroupBy(e => e.Ring).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var spec = _model.Rings.FirstOrDefault(r => r.Name == ring.Key);
            var ringRuns = await RingRunsReleaseAsync(state, ring.Key, ct);
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
                        else if (ringRuns)
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
                if (e is { Paused: false, ReleasedAt: not null, ReleaseRevision: null } && ringRuns)
                {
                    // Marked released by a pass that was killed before its commit: commit it now (the apply is idempotent).
                    release.Add(e);
                    remaining.Add(new CatchUpItem(e, status));
                    continue;
                }
                var decision = CatchUpPolicy.Decide(e.Class, e.Paused, e.Approved, status.State, MaintenanceWindow.Of(store), now);
                if (decision == CatchUpDecision.Release && ringRuns && budget > 0)
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

        var changed = caughtUp.Count > 0 || release.Count > 0 || remaining.Any(r => entries.First(e => e.Store == r.Entry.Store) != r.Entry);
        if (changed) _catchUp.Save(remaining.Select(r => r.Entry));
        foreach (var ring in release.GroupBy(e => e.Ring))
        {
            var ids = ring.Select(e => e.Store).Order(StringComparer.Ordinal).ToList();
            var applied = await _applier.ApplyAsync(ring.Key, _catchUp.Paused(), $"{CatchUpPolicy.ReleaseReason}{ids.Count} store(s) ({string.Join(", ", ring.Select(e => CatchUpPolicy.Name(e.Class)).Distinct())})", ct);
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
                    ring.Key, _release.Key, window
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

    /// <summary>Whether the ring's current applied version is the configured release: only then may a release commit
    /// go out (applying the ring at another release would bypass the rollout's gates).</summary>
    private async Task<bool> RingRunsReleaseAsync(RolloutState? state, string ring, CancellationToken ct) =>
        // This rollout applied the ring at the release and has not rolled it back: no need to search its history.
        state is { Outcome: RolloutOutcome.Running or RolloutOutcome.Completed } && state.Release == _release.Key &&
        state.Rings.FirstOrDefault(r => r.Ring == ring) is { Phase: RingPhase.Baking or RingPhase.Promoted, Revision: not null }
        || (await _applier.FindVersionAsync(ring, LastKnownGood.IsCurrent, ct))?.Releases.Key == _release.Key;

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

/// <summary>One store awaiting catch-up and how it stands now (null when the hub could not be read).</summary>
public sealed record CatchUpItem(CatchUpEntry Entry, StoreStatus? Status)
{
    /// <summary>Why it still waits, in the words <c>status</c> and <c>catch-up</c> print.</summary>
    public string Waiting(DateTimeOffset now, Store? store) => !Entry.Paused
        ? Entry.ReleasedAt is null ? "not paused: takes the change when back" : "released: applying"
        : Entry.Cause == CatchUpCause.Unregistered && Status is not { Registered: true }
            ? "paused: not registered with the hub yet (released by policy once its agent checks in)"
        : CatchUpPolicy.Decide(Entry.Class, Entry.Paused, Entry.Approved, Status?.State ?? StoreState.Offline,
            store is null ? null : MaintenanceWindow.Of(store), now) switch
        {
            CatchUpDecision.AwaitApproval => "paused: awaiting approval (edgeinfra catch-up --approve)",
            CatchUpDecision.AwaitReturn => "paused: offline",
            CatchUpDecision.AwaitWindow => Entry.Cause == CatchUpCause.Window ? "paused: waiting for its maintenance window" : "paused: back, waiting for its maintenance window",
            _ => "paused: to be released (ring release budget)",
        };
}

/// <summary>What a catch-up pass found and did.</summary>
/// <param name="Remaining">The stores still awaiting catch-up after the pass.</param>
/// <param name="CaughtUp">The stores recorded as caught up in this pass.</param>
/// <param name="Released">The stores unpaused in this pass.</param>
/// <param name="Error">Why the pass could not finish (hub unreadable, a release commit failed); null otherwise.</param>
public sealed record CatchUpReport(IReadOnlyList<CatchUpItem> Remaining, IReadOnlyList<CatchUpEntry> CaughtUp, IReadOnlyList<CatchUpEntry> Released,
    string? Error)
{
    public bool TimedOut { get; init; }

    /// <summary>Nothing is left that the policy may release: every remaining store awaits an operator's approval.</summary>
    public bool Settled => Error is null && Remaining.All(r => r.Entry is { Paused: true, Class: ChangeClass.HoldForReview, Approved: false });

    /// <summary>The remaining stores per class, e.g. <c>next-window 3 (paused), hold-for-review 2 (paused)</c>.</summary>
    public string Describe() => string.Join(", ", Remaining.GroupBy(r => r.Entry.Class).OrderBy(g => g.Key)
        .Select(g => $"{CatchUpPolicy.Name(g.Key)} {g.Count()}" + (g.Any(r => r.Entry.Paused) ? $" ({g.Count(r => r.Entry.Paused)} paused)" : "")));
}
