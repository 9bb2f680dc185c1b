using System.Globalization;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The walker's rollback path: a breach holds the bad release and sends every ring on it back to its
/// last-known-good version at once, skipping gates, windows and freezes (an emergency path), then watches recovery.</summary>
public sealed partial class RingWalker
{
    /// <summary>A Failed verdict: hold the bad release and mark the failing ring, and every ring already on the bad
    /// release, for rollback to its last-known-good version (written before any restore starts).</summary>
    private async Task BreachAsync(RolloutState state, RingProgress ring, IReadOnlyList<GateResult> failed, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var reason = string.Join("; ", failed.Select(r => $"{r.Gate}: {r.Reason}"));
        var stores = failed.SelectMany(r => r.Stores).Distinct(StringComparer.Ordinal).ToList();
        var bad = _release.ChangedFrom(ring.LastKnownGoodRelease is { } k ? ReleaseSet.Parse(k) : null);
        state.Breach = reason;
        state.BreachAt = now;
        state.BreachRing = ring.Ring;
        state.HeldItems = [.. bad];
        _holds.Hold(bad, $"rolled back after a breach in {ring.Ring}: {reason}", _options.Actor, now);
        foreach (var r in state.Rings.Where(r => r.Phase is RingPhase.Applying or RingPhase.Baking or RingPhase.Promoted))
            r.Phase = RingPhase.RollingBack;
        // Rings this rollout has not opened may still run the bad release (an `up` by hand): they go back too.
        var held = bad.ToHashSet(StringComparer.Ordinal);
        foreach (var r in state.Rings.Where(r => r.Phase == RingPhase.Pending))
        {
            var current = await _applier.FindVersionAsync(r.Ring, LastKnownGood.IsCurrent, ct);
            if (current is null || !current.Releases.Items.Any(held.Contains)) continue;
            var lkg = await _applier.FindVersionAsync(r.Ring, v => LastKnownGood.Accepts(v, _release, held), ct);
            r.LastKnownGood = lkg?.Version;
            r.LastKnownGoodRelease = lkg?.Releases.Key;
            r.Phase = RingPhase.RollingBack;
        }
        Save(state);
        await AuditAsync(state, AuditActions.Breach, ring.Ring, reason, stores,
            Data(("held", string.Join(",", bad)), ("rings", string.Join(",", state.Rings.Where(r => r.Phase == RingPhase.RollingBack).Select(r => r.Ring)))),
            key: $"breach:{state.Id}", ct: ct);
        Note(state, ring.Ring, "breach", $"FAILED: {reason}; holding {string.Join(", ", bad)} and rolling back " +
            string.Join(", ", state.Rings.Where(r => r.Phase == RingPhase.RollingBack).Select(r => r.Ring)));
    }

    private async Task<RolloutResult> FinishRollbackAsync(RolloutState state, CancellationToken ct)
    {
        // The ring that breached first: it is the one hurting now; the others follow in ring order.
        var order = state.Rings.Where(r => r.Phase == RingPhase.RollingBack)
            .OrderBy(r => r.Ring == state.BreachRing ? 0 : 1).ThenBy(r => state.Rings.IndexOf(r)).ToList();
        foreach (var ring in order)
        {
            if (ring.LastKnownGood is not { } version)
            {
                ring.Phase = RingPhase.RolledBack;
                ring.RolledBackAt = _time.GetUtcNow();
                Save(state);
                await AuditAsync(state, AuditActions.Rollback, ring.Ring, "no earlier version to return to: the ring stays on the held release",
                    key: $"rollback:{state.Id}:{ring.Ring}", ct: ct);
                Note(state, ring.Ring, "rollback", "no earlier version recorded: left as it is (the release is held)");
                continue;
            }
            // Stores paused for their window never left the last known good; a rollback ignores windows, so they are
            // unpaused with it. Stores paused while offline stay paused (the restore renders today's pauses).
            var catchUp = _catchUp.List();
            if (catchUp.Any(e => e.Ring == ring.Ring && e.Cause == CatchUpCause.Window))
                _catchUp.Save(catchUp.Where(e => e.Ring != ring.Ring || e.Cause != CatchUpCause.Window));
            var restored = await _applier.RestoreAsync(ring.Ring, version, _catchUp.Paused(), $"rollback {state.Id}: {state.Breach}", ct);
            if (!restored.Succeeded)
                return new RolloutResult(RolloutOutcome.Stopped, $"rolling ring {ring.Ring} back to v{version} failed: {restored.Error}; run the rollout again to retry", state);
            ring.RollbackRevision = restored.Revision;
            ring.RolledBackAt = _time.GetUtcNow();
            ring.Phase = RingPhase.RolledBack;
            Save(state);
            await AuditAsync(state, AuditActions.Rollback, ring.Ring, $"returned to v{version} ({ring.LastKnownGoodRelease}): {state.Breach}",
                key: $"rollback:{state.Id}:{ring.Ring}", data: Data(("commit", restored.Revision), ("version", version.ToString(CultureInfo.InvariantCulture))), ct: ct);
            Note(state, ring.Ring, "rollback", $"rolled back to v{version} ({ring.LastKnownGoodRelease}), committed {Short(restored.Revision)} " +
                $"{Durations.Format(ring.RolledBackAt.Value - state.BreachAt!.Value)} after the breach");
        }
        state.Outcome = RolloutOutcome.RolledBack;
        state.OutcomeReason = $"rolled back after a breach in {state.BreachRing}: {state.Breach}";
        state.Ended = _time.GetUtcNow();
        Save(state);
        Notify("rollback", state, state.BreachRing, $":rewind: {_model.Stack}: {_release} rolled back ({state.Breach})", state.Breach,
            [.. state.Rings.Where(r => r.Phase == RingPhase.RolledBack).SelectMany(r => StoresIn(r.Ring).Select(s => s.Id))]);
        await WatchRecoveryAsync(state, ct);
        return new RolloutResult(RolloutOutcome.RolledBack, state.OutcomeReason, state);
    }

    /// <summary>After a rollback, follows the rolled-back rings until their online stores are ready again (bounded), so
    /// the timeline shows how long the fleet took to recover. It decides nothing; it records each store as it is back on
    /// the rollback's revision (an observation, as during the walk), so the audit says what every store ran.</summary>
    private async Task WatchRecoveryAsync(RolloutState state, CancellationToken ct)
    {
        var rings = state.Rings.Where(r => r.Phase == RingPhase.RolledBack && r.RollbackRevision is not null).ToList();
        if (rings.Count == 0) return;
        var revisions = rings.ToDictionary(r => r.Ring, r => r.RollbackRevision!, StringComparer.Ordinal);
        var stores = rings.SelectMany(r => StoresIn(r.Ring)).ToList();
        var until = _time.GetUtcNow() + RecoveryWatch;
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        while (_time.GetUtcNow() <= until)
        {
            var fleet = await _status.ReadAsync(_model, revisions, _time.GetUtcNow(), ct);
            if (fleet.Reachable)
            {
                var online = stores.Select(s => fleet.Stores.GetValueOrDefault(s.Id)).Where(s => s is not null && s.State != StoreState.Offline).ToList();
                await RecordRecoveredAsync(state, revisions, online!, recorded, ct);
                if (online.All(s => s!.State is StoreState.Ready or StoreState.Drifted))
                {
                    Note(state, null, "recovered", $"{online.Count} online stores of {string.Join(", ", revisions.Keys)} back on the last known good release " +
                        $"{Durations.Format(_time.GetUtcNow() - state.BreachAt!.Value)} after the breach");
                    return;
                }
            }
            await WaitAsync(ct);
        }
        Note(state, null, "recovered", $"not every online store was back within {Durations.Format(RecoveryWatch)} of the rollback; see edgeinfra status");
    }

    /// <summary>One observation per ring of the stores newly ready on its rollback revision.</summary>
    private async Task RecordRecoveredAsync(RolloutState state, IReadOnlyDictionary<string, string> revisions, IReadOnlyList<StoreStatus> online,
        HashSet<string> recorded, CancellationToken ct)
    {
        var back = online.Where(s => s.State is StoreState.Ready or StoreState.Drifted && s.Ring is not null && revisions.ContainsKey(s.Ring)
                                     && recorded.Add(s.StoreId));
        foreach (var group in back.GroupBy(s => (s.Ring!, s.State)).OrderBy(g => g.Key.Item1, StringComparer.Ordinal))
        {
            var ids = group.Select(s => s.StoreId).Order(StringComparer.Ordinal).ToList();
            var (ring, storeState) = group.Key;
            await AuditAsync(state, AuditActions.Observe, ring, $"{ids.Count} store(s) now {storeState.ToWire()} on the rollback's revision", ids,
                Data(("state", storeState.ToWire()), ("revision", revisions[ring])),
                key: $"recovered:{state.Id}:{ring}:{storeState.ToWire()}:{ids[0]}", ct: ct);
        }
    }
}
