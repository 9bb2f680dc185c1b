using EdgeInfra.Components.Model;
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
            (await snapshots.GetAsync(fresh ?? false, ct)).Status)
            .WithName("GetStatus").WithSummary("Store counts per ring, region and state; the freeze and holds in force");

        read.MapGet("/stores", async Task<Results<Ok<StorePage>, ProblemHttpResult>> (StatusSnapshots snapshots,
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
            var matching = snapshot.Stores
                .Where(d => (ring is null || d.Ring == ring) && (state is null || d.State == state)
                            && (q is null || d.Id.Contains(q, StringComparison.OrdinalIgnoreCase)) && labels.Matches(d.Labels))
                .ToList();
            IEnumerable<StoreDocument> ordered = desc == true
                ? matching.OrderByDescending(key).ThenBy(d => d.Id, StringComparer.Ordinal)
                : matching.OrderBy(key).ThenBy(d => d.Id, StringComparer.Ordinal);
            var items = ordered.Skip((number - 1) * size).Take(size).ToList();
            return TypedResults.Ok(new StorePage(snapshot.AsOf, matching.Count, number, size, items));
        }).WithName("ListStores").WithSummary("Stores filtered by ring, state, label selector and id search, sorted, one page at a time");

        read.MapGet("/stores/{id}", async Task<Results<Ok<StoreDocument>, ProblemHttpResult>> (StatusSnapshots snapshots,
            string id, bool? fresh, CancellationToken ct) =>
        {
            var snapshot = await snapshots.GetAsync(fresh ?? false, ct);
            return snapshot.Stores.FirstOrDefault(d => d.Id == id) is { } store
                ? TypedResults.Ok(store)
                : Problems.NotFound($"store '{id}' is not in the inventory of stack {snapshot.Stack}");
        }).WithName("GetStore").WithSummary("One store: labels, state, revisions, catch-up");
    }
}
