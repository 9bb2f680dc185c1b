using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The walker's holds and waits: a ring held on an inconclusive gate, the hold timeout, the bound on waiting
/// for Fleet to make a ring ready, and how long to wait before the next gate evaluation.</summary>
public sealed partial class RingWalker
{
    /// <summary>Per ring, since when its wait for readiness counts toward the hold timeout: its apply, or the last
    /// evaluation at which stores still waited for their window (this process's start for a resumed ring).</summary>
    private readonly Dictionary<string, DateTimeOffset> _readinessWaitSince = new(StringComparer.Ordinal);

    private async Task<RolloutResult?> HoldAsync(RolloutState state, RingProgress ring, IReadOnlyList<GateResult> holding, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var reason = string.Join("; ", holding.Select(r => $"{r.Gate}: {r.Reason}"));
        var stores = holding.SelectMany(r => r.Stores).Distinct(StringComparer.Ordinal).ToList();
        if (ring.HoldSince is null)
        {
            ring.HoldSince = now;
            ring.HoldReason = reason;
            Save(state);
            await AuditAsync(state, AuditActions.Hold, ring.Ring, reason, stores, key: $"hold:{state.Id}:{ring.Ring}:{ring.Evaluations}", ct: ct);
            Note(state, ring.Ring, "hold", $"holding: {reason}");
            Notify("hold", state, ring.Ring, $":pause_button: {_model.Stack} {ring.Ring} holds {_release}: {reason}", reason, stores);
        }
        else if (ring.HoldReason != reason)
        {
            ring.HoldReason = reason;
            Save(state, durable: false);
        }
        if (now - ring.HoldSince.Value < _options.HoldTimeout) return null;

        return await TimeOutAsync(state, ring,
            $"ring {ring.Ring} held for {Durations.Format(now - ring.HoldSince.Value)} (hold timeout {Durations.Format(_options.HoldTimeout)}): {reason}", stores, ct);
    }

    /// <summary>A ring whose online stores do not all reach the release within the hold timeout of its apply stops the
    /// rollout too, even when every gate only waits: a store stuck short of the release must not keep it waiting forever.</summary>
    private async Task<RolloutResult?> CheckReadinessDeadlineAsync(RolloutState state, RingProgress ring, IReadOnlyList<GateResult> waiting,
        CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (ring.ReadyAt is not null) return null;
        // Stores waiting for their maintenance window are not late: only the wait for Fleet itself is bounded.
        if (waiting.Any(r => r.Gate != BakeGate.GateName) || _catchUp.List().Any(e => e.Ring == ring.Ring && e is { Paused: true, Cause: CatchUpCause.Window }))
        {
            _readinessWaitSince[ring.Ring] = now;
            return null;
        }
        if (!_readinessWaitSince.TryGetValue(ring.Ring, out var from))
            _readinessWaitSince[ring.Ring] = from = ring.AppliedAt!.Value > _started ? ring.AppliedAt.Value : _started;
        var since = now - from;
        if (since < _options.HoldTimeout) return null;
        var notReady = ring.Observed.Where(o => o.Value is not ("ready" or "drifted" or "offline")).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        return await TimeOutAsync(state, ring,
            $"ring {ring.Ring} not ready {Durations.Format(since)} after it was applied or its windows opened (hold timeout {Durations.Format(_options.HoldTimeout)}): " +
            $"{Counts(ring.Observed.Values)}; " + string.Join("; ", waiting.Select(r => $"{r.Gate}: {r.Reason}")), notReady, ct);
    }

    private async Task<RolloutResult> TimeOutAsync(RolloutState state, RingProgress ring, string why, IReadOnlyList<string> stores, CancellationToken ct)
    {
        state.Outcome = RolloutOutcome.HoldTimedOut;
        state.OutcomeReason = why;
        Save(state);
        await AuditAsync(state, AuditActions.HoldTimeout, ring.Ring, why, stores, key: $"timeout:{state.Id}:{ring.Ring}:{ring.Evaluations}", ct: ct);
        Note(state, ring.Ring, "timeout", why);
        Notify("hold-timeout", state, ring.Ring, $":warning: {_model.Stack} rollout of {_release} gave up: {why}", why, stores);
        return new RolloutResult(RolloutOutcome.HoldTimedOut, why, state);
    }

    /// <summary>Waits until the next gate evaluation of <paramref name="ring"/>: a quarter of the gate interval while the
    /// ring is not ready yet (its bake starts when readiness is seen, so seeing it late only delays the rollout), else one
    /// gate interval, or less when the bake ends sooner. Both waits are the walker's own share of the timeline.</summary>
    /// <param name="idleUntil">When the ring only waits for maintenance windows: when the next one opens. The wait is
    /// then up to that opening, at most the idle interval (a ring at rest is read less often, a day of windows costs
    /// no more than the deliveries in it).</param>
    private Task WaitAsync(CancellationToken ct, RingProgress? ring = null, DateTimeOffset? idleUntil = null)
    {
        var wait = _options.GateInterval;
        if (ring is { ReadyAt: null } && idleUntil is { } until)
        {
            var toOpening = until - _time.GetUtcNow();
            wait = toOpening < _options.IdleInterval ? toOpening : _options.IdleInterval;
            if (wait < _options.GateInterval / ReadinessPollsPerInterval) wait = _options.GateInterval / ReadinessPollsPerInterval;
        }
        // Stores still paused for their windows: the ring cannot be ready before they are released, so readiness is not
        // watched closely yet.
        else if (ring is { ReadyAt: null } && !_catchUp.List().Any(e => e.Ring == ring.Ring && e is { Paused: true, Cause: CatchUpCause.Window }))
            wait = wait / ReadinessPollsPerInterval;
        else if (ring?.ReadyAt is { } ready)
        {
            var left = ready + _model.Rings.First(r => r.Name == ring.Ring).Bake - _time.GetUtcNow();
            if (left > TimeSpan.Zero && left < wait) wait = left;
        }
        return Task.Delay(wait, _time, ct);
    }

    private const int ReadinessPollsPerInterval = 4;

    /// <summary>Per ring, whether its last evaluation saw a store that is not held back and not settled (applying,
    /// pending, failed): something the walker must watch at its readiness pace.</summary>
    private readonly Dictionary<string, bool> _inMotion = new(StringComparer.Ordinal);

    /// <summary>When a ring that is not ready only waits for maintenance windows: nothing in motion, nothing released
    /// and still on its way, and a window gate waiting until a known opening. Null otherwise.</summary>
    private DateTimeOffset? IdleUntil(RingProgress ring, IReadOnlyList<GateResult> inconclusive)
    {
        if (ring.ReadyAt is not null || _inMotion.GetValueOrDefault(ring.Ring, true)) return null;
        if (inconclusive.Any(r => !r.IsScheduledWait)) return null;
        if (inconclusive.Where(r => r.Until is not null).Select(r => r.Until).Min() is not { } until) return null;
        if (_catchUp.List().Any(e => e.Ring == ring.Ring && e is { Paused: false, ReleasedAt: not null })) return null;
        return until;
    }
}
