using System.Diagnostics.CodeAnalysis;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Service.Api;

namespace EdgeInfra.Service.Status;

/// <summary>One read of the hub as the API serves it: the status document and one compact row per store, nothing else.</summary>
/// <remarks>
/// A snapshot lives for as long as the service idles, so it keeps only what the answers are made of. The report it is
/// built from (every store's status, the inventory with its sorted label trees, the catch-up entries) is dropped once the
/// documents are built rather than kept beside them. Label keys, label values, rings, regions and revisions repeat
/// across thousands of stores; each is held once per snapshot.
/// </remarks>
/// <param name="Status">The answer of <c>GET /status</c>, counted once per read rather than once per call.</param>
/// <param name="Stores">Every store of the read, in inventory order.</param>
/// <param name="Reachable">Whether the hub answered (readiness).</param>
internal sealed record StatusSnapshot(StatusDocument Status, IReadOnlyList<StoreDocument> Stores, bool Reachable)
{
    private static readonly StoreState[] States = Enum.GetValues<StoreState>();

    public DateTimeOffset AsOf => Status.AsOf;
    public string Stack => Status.Stack;
    public string? Error => Status.Error;

    /// <param name="walk">The stack's latest rollout walk: where it left each ring (release, phase); null when none ran.</param>
    /// <param name="applied">Ring → what its ring stack last applied (its history), whoever applied it.</param>
    public static StatusSnapshot From(StackStatusReport report, StackControls controls, RolloutState? walk, DateTimeOffset asOf,
        IReadOnlyDictionary<string, AppliedRelease>? applied = null)
    {
        var pool = new StringPool();
        var stores = report.Stores;
        var documents = new StoreDocument[stores.Count];
        for (var i = 0; i < stores.Count; i++) documents[i] = Document(stores[i], report, pool);

        var status = new StatusDocument(
            report.Stack, report.Now, asOf, report.IsLab ? "lab simulator" : "fleet", report.Error, stores.Count,
            Counts(stores),
            [.. report.Rings.Select(r => Ring(r, walk, applied?.GetValueOrDefault(r.Ring)))],
            [.. stores.GroupBy(s => report.Inventory.GetValueOrDefault(s.StoreId)?.Region ?? "(none)")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RegionCounts(g.Key, g.Count(), Counts(g)))],
            report.CatchUp.Values.GroupBy(e => CatchUpPolicy.Name(e.Class)).ToDictionary(g => g.Key, g => g.Count()),
            controls.Freeze,
            controls.Holds);
        return new StatusSnapshot(status, documents, report.Reachable);
    }

    private static RingCounts Ring(RingStatus ring, RolloutState? walk, AppliedRelease? applied)
    {
        var progress = walk?.Rings.FirstOrDefault(p => p.Ring == ring.Ring);
        var walked = progress?.Phase is RingPhase.Applying or RingPhase.Baking or RingPhase.Promoted ? walk!.Release : progress?.LastKnownGoodRelease;
        var phase = progress is null ? null : Kebab(progress.Phase);
        // What the ring stack last applied is what the ring runs; the walk says where its rollout left the ring. Outside
        // the walk's own transitions, a difference means the ring was changed after it (a rollback or an `up` by hand):
        // the walk's phase no longer describes the ring.
        if (applied is not null && walked is not null && walked != applied.Release
            && progress?.Phase is not (RingPhase.Applying or RingPhase.RollingBack))
            phase = applied.ByRollback ? Kebab(RingPhase.RolledBack) : null;
        return new RingCounts(ring.Ring, ring.Revision, applied?.Release ?? walked, phase, ring.Counts.Values.Sum(),
            States.ToDictionary(s => s.ToWire(), s => ring.Counts[s]));
    }

    private static string Kebab(RingPhase phase) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(phase.ToString());

    private static Dictionary<string, int> Counts(IEnumerable<StoreStatus> stores)
    {
        var counts = States.ToDictionary(s => s.ToWire(), _ => 0);
        foreach (var s in stores) counts[s.State.ToWire()]++;
        return counts;
    }

    private static StoreDocument Document(StoreStatus s, StackStatusReport report, StringPool pool)
    {
        var store = report.Inventory.GetValueOrDefault(s.StoreId);
        var catchUp = report.CatchUp.TryGetValue(s.StoreId, out var e)
            ? new CatchUpDocument(CatchUpPolicy.Name(e.Class), e.Cause.ToString().ToLowerInvariant(), e.Paused, e.Approved, e.Since,
                report.CatchUpWaiting.GetValueOrDefault(s.StoreId))
            : null;
        // The inventory's labels are an immutable sorted tree per store; a plain dictionary filled in the same (sorted)
        // order enumerates, and so serializes, the same, in a fraction of the memory.
        var labels = new Dictionary<string, string>(store?.Labels.Count ?? 0, StringComparer.Ordinal);
        if (store is not null)
            foreach (var (key, value) in store.Labels) labels[pool.Get(key)] = pool.Get(value);
        return new StoreDocument(s.StoreId, pool.Get(s.Ring), pool.Get(store?.Region), labels, s.State.ToWire(), s.LastSeen,
            pool.Get(s.AppliedRevision), pool.Get(s.AttemptedRevision), pool.Get(s.Reason), catchUp);
    }

    /// <summary>One instance per distinct string within a snapshot (not <see cref="string.Intern"/>, which never lets go).</summary>
    private sealed class StringPool
    {
        private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

        [return: NotNullIfNotNull(nameof(value))]
        public string? Get(string? value)
        {
            if (value is null) return null;
            if (_strings.TryGetValue(value, out var held)) return held;
            _strings.Add(value);
            return value;
        }
    }
}
