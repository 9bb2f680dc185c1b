using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The walker's holding back before a ring is applied: which of the ring's stores are paused (offline, not yet
/// registered, or outside their window for a <c>next-window</c> change), recorded before the apply that renders them.</summary>
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
}
