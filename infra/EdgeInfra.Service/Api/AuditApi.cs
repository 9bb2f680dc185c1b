using EdgeInfra.Automation;
using EdgeInfra.Rollout.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The read routes of what happened: the hash-chained audit log, and each engine stack's history.</summary>
internal static class AuditApi
{
    public const int MaxLimit = 5_000;

    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/audit", async Task<Results<Ok<AuditDocument>, ProblemHttpResult>> (EdgeInfraStack stack, string? store, string? ring, string? action,
            DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken ct) =>
        {
            var max = limit ?? 500;
            if (max is < 1 or > MaxLimit) return Problems.BadRequest($"limit must be 1 to {MaxLimit}");
            var report = await stack.AuditAsync(new AuditRequest(store, from), ct);
            var entries = report.Entries
                .Where(e => (ring is null || e.Record.Ring == ring) && (action is null || e.Record.Action == action) && (to is null || e.Record.Time <= to))
                .ToList();
            return TypedResults.Ok(new AuditDocument(report.Stack, report.Intact, report.Problems, entries.Count,
                [.. entries.AsEnumerable().Reverse().Take(max)]));
        }).WithName("GetAudit").WithSummary("Audit entries (newest first) filtered by store, ring, action and time, with the chain's verification");

        read.MapGet("/history", async (EdgeInfraStack stack, string? ring, int? limit, CancellationToken ct) =>
            TypedResults.Ok(await stack.HistoryAsync(ring, limit, ct)))
            .WithName("GetHistory").WithSummary("Recorded runs of the base stack and each ring stack, newest first");
    }
}

/// <summary>Audit entries, newest first, and whether the hash chain verified (<paramref name="Problems"/> says where not).</summary>
/// <param name="Total">How many entries matched before the limit.</param>
public sealed record AuditDocument(string Stack, bool Intact, IReadOnlyList<string> Problems, int Total, IReadOnlyList<AuditEntry> Entries);
