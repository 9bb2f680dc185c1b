using EdgeInfra.Automation;
using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Service.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The read routes of the fleet's state: ring and region counts, and stores with server-side paging.</summary>
internal static class StatusApi
{
    public const int MaxPageSize = 500;
    private static readonly StoreState[] States = Enum.GetValues<StoreState>();

    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/status", async (StatusSnapshots snapshots, bool? fresh, CancellationToken ct) =>
            Document(await snapshots.GetAsync(fresh ?? false, ct)))
            .WithName("GetStatus").WithSummary("Store counts per ring, region and state; the freeze and holds in force");

        read.MapGet("/stores", async Task<Results<Ok<StorePage>, ProblemHttpResult>> (StatusSnapshots snapshots, StoreViews views,
            string? ring, string? state, string? selector, string? q, string? sort, bool? desc, int? page, int? pageSize, bool? fresh, CancellationToken ct) =>
        {
            var size = pageSize ?? 100;
            var number = page ?? 1;
            if (size is < 1 or > MaxPageSize) return Problems.BadRequest($"pageSize must be 1 to {MaxPageSize}");
            if (number < 1) return Problems.BadRequest("page starts at 1");
            LabelSelector labels;
            try { labels = LabelSelector.Parse(selector); }
            catch (FormatException e) { return Problems.BadRequest($"selector: {e.Message}"); }
            if (state is not null && States.All(s => s.ToWire() != state))
                return Problems.BadRequest($"state '{state}' is not one of {string.Join(", ", States.Select(s => s.ToWire()))}");
            Func<StoreDocument, IComparable?> key = sort switch
            {
                null or "id" => d => d.Id,
                "ring" => d => d.Ring,
                "state" => d => d.State,
                "region" => d => d.Region,
                "lastSeen" => d => d.LastSeen,
                _ => null!,
            };
            if (key is null) return Problems.BadRequest($"sort '{sort}' is not one of id, ring, state, region, lastSeen");

            var snapshot = await snapshots.GetAsync(fresh ?? false, ct);
            var matching = views.Of(snapshot)
                .Where(d => (ring is null || d.Ring == ring) && (state is null || d.State == state)
                            && (q is null || d.Id.Contains(q, StringComparison.OrdinalIgnoreCase)) && labels.Matches(d.Labels))
                .ToList();
            IEnumerable<StoreDocument> ordered = desc == true
                ? matching.OrderByDescending(key).ThenBy(d => d.Id, StringComparer.Ordinal)
                : matching.OrderBy(key).ThenBy(d => d.Id, StringComparer.Ordinal);
            var items = ordered.Skip((number - 1) * size).Take(size).ToList();
            return TypedResults.Ok(new StorePage(snapshot.AsOf, matching.Count, number, size, items));
        }).WithName("ListStores").WithSummary("Stores filtered by ring, state, label selector and id search, sorted, one page at a time");

        read.MapGet("/stores/{id}", async Task<Results<Ok<StoreDocument>, ProblemHttpResult>> (StatusSnapshots snapshots, StoreViews views,
            string id, bool? fresh, CancellationToken ct) =>
        {
            var snapshot = await snapshots.GetAsync(fresh ?? false, ct);
            return views.Of(snapshot).FirstOrDefault(d => d.Id == id) is { } store
                ? TypedResults.Ok(store)
                : Problems.NotFound($"store '{id}' is not in the inventory of stack {snapshot.Report.Stack}");
        }).WithName("GetStore").WithSummary("One store: labels, state, revisions, catch-up");
    }

    internal static StatusDocument Document(StatusSnapshots.Snapshot snapshot)
    {
        var report = snapshot.Report;
        var stores = report.Stores;
        return new StatusDocument(
            report.Stack, report.Now, snapshot.AsOf, report.IsLab ? "lab simulator" : "fleet", report.Error, stores.Count,
            Counts(stores),
            [.. report.Rings.Select(r => Ring(r, snapshot.Walk))],
            [.. stores.GroupBy(s => report.Inventory.GetValueOrDefault(s.StoreId)?.Region ?? "(none)")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RegionCounts(g.Key, g.Count(), Counts(g)))],
            report.CatchUp.Values.GroupBy(e => CatchUpPolicy.Name(e.Class)).ToDictionary(g => g.Key, g => g.Count()),
            snapshot.Controls.Freeze,
            snapshot.Controls.Holds);
    }

    private static RingCounts Ring(RingStatus ring, RolloutState? walk)
    {
        var progress = walk?.Rings.FirstOrDefault(p => p.Ring == ring.Ring);
        var release = progress?.Phase is RingPhase.Applying or RingPhase.Baking or RingPhase.Promoted ? walk!.Release : progress?.LastKnownGoodRelease;
        return new RingCounts(ring.Ring, ring.Revision, release, progress is null ? null : Kebab(progress.Phase), ring.Counts.Values.Sum(),
            States.ToDictionary(s => s.ToWire(), s => ring.Counts[s]));
    }

    private static string Kebab(RingPhase phase) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(phase.ToString());

    private static Dictionary<string, int> Counts(IEnumerable<StoreStatus> stores)
    {
        var counts = States.ToDictionary(s => s.ToWire(), _ => 0);
        foreach (var s in stores) counts[s.State.ToWire()]++;
        return counts;
    }
}

/// <summary>The store documents of the last snapshot, built once per snapshot rather than once per page.</summary>
internal sealed class StoreViews
{
    private Built? _last;

    public IReadOnlyList<StoreDocument> Of(StatusSnapshots.Snapshot snapshot)
    {
        if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Snapshot, snapshot)) return last.Documents;
        var report = snapshot.Report;
        IReadOnlyList<StoreDocument> documents = [.. report.Stores.Select(s => Document(s, report))];
        Volatile.Write(ref _last, new Built(snapshot, documents));
        return documents;
    }

    private sealed record Built(StatusSnapshots.Snapshot Snapshot, IReadOnlyList<StoreDocument> Documents);

    private static StoreDocument Document(StoreStatus s, StackStatusReport report)
    {
        var store = report.Inventory.GetValueOrDefault(s.StoreId);
        var catchUp = report.CatchUp.TryGetValue(s.StoreId, out var e)
            ? new CatchUpDocument(CatchUpPolicy.Name(e.Class), e.Cause.ToString().ToLowerInvariant(), e.Paused, e.Approved, e.Since,
                report.CatchUpWaiting.GetValueOrDefault(s.StoreId))
            : null;
        return new StoreDocument(s.StoreId, s.Ring, store?.Region, store?.Labels ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(),
            s.State.ToWire(), s.LastSeen, s.AppliedRevision, s.AttemptedRevision, s.Reason, catchUp);
    }
}
