using EdgeInfra.Automation;
using EdgeInfra.Service.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The routes that record an operator's decision: roll back, freeze, hold, approve catch-up. Each is audited
/// with the caller's token name as the actor.</summary>
internal static class DecisionApi
{
    public static void Map(RouteGroupBuilder read, RouteGroupBuilder act)
    {
        act.MapPost("/rollbacks", async (EdgeInfraStack stack, StatusSnapshots snapshots, HttpContext http, RollbackBody body, CancellationToken ct) =>
        {
            var rings = await stack.As(Caller.Name(http)).RollbackAsync(new RollbackRequest(body.Ring, body.ToVersion, Reason(body.Reason, "rollback")), ct: ct);
            snapshots.Invalidate();
            return TypedResults.Ok(rings.Select(r => new RollbackDocument(r.Ring, r.Current?.Version, r.Current?.Releases.Key, r.Target?.Version,
                r.Target?.Releases.Key, r.Revision, r.Held, r.Error)).ToList());
        }).WithName("Rollback").WithSummary("Re-applies a ring's (or every ring's) last-known-good version at once and holds what it replaced");

        read.MapGet("/freeze", (EdgeInfraStack stack) => TypedResults.Ok(new FreezeDocument(stack.Controls().Freeze)))
            .WithName("GetFreeze").WithSummary("The stack's freeze, if any");
        act.MapPut("/freeze", async (EdgeInfraStack stack, StatusSnapshots snapshots, HttpContext http, ReasonBody body, CancellationToken ct) =>
        {
            var freeze = await stack.As(Caller.Name(http)).FreezeAsync(body.Reason ?? "", ct);
            snapshots.Invalidate();
            return TypedResults.Ok(new FreezeDocument(freeze));
        }).WithName("Freeze").WithSummary("Freezes the stack: no ring is promoted until unfrozen; rollbacks still run");
        act.MapDelete("/freeze", async (EdgeInfraStack stack, StatusSnapshots snapshots, HttpContext http, CancellationToken ct) =>
        {
            var lifted = await stack.As(Caller.Name(http)).UnfreezeAsync(ct);
            snapshots.Invalidate();
            return TypedResults.Ok(new FreezeDocument(lifted));
        }).WithName("Unfreeze").WithSummary("Lifts the freeze; answers the freeze lifted (null when there was none)");

        read.MapGet("/holds", (EdgeInfraStack stack) => TypedResults.Ok(stack.Controls().Holds))
            .WithName("ListHolds").WithSummary("The releases on hold");
        act.MapPost("/holds", async (EdgeInfraStack stack, StatusSnapshots snapshots, HttpContext http, HoldBody body, CancellationToken ct) =>
        {
            var result = await stack.As(Caller.Name(http)).HoldAsync(body.Releases ?? [], Reason(body.Reason, "hold"), ct);
            snapshots.Invalidate();
            return TypedResults.Ok(result);
        }).WithName("Hold").WithSummary("Holds releases (app=version): nothing applies them until unheld");
        act.MapDelete("/holds/{release}", async Task<Results<Ok<UnholdResult>, ProblemHttpResult>> (EdgeInfraStack stack, StatusSnapshots snapshots,
            HttpContext http, string release, CancellationToken ct) =>
        {
            var result = await stack.As(Caller.Name(http)).UnholdAsync([release], ct);
            snapshots.Invalidate();
            return result.Removed.Count > 0 ? TypedResults.Ok(result) : Problems.NotFound($"release {release} is not on hold");
        }).WithName("Unhold").WithSummary("Releases a hold");

        act.MapPost("/catch-up/approvals", async (EdgeInfraStack stack, StatusSnapshots snapshots, HttpContext http, ApprovalBody body, CancellationToken ct) =>
        {
            IReadOnlySet<string> approved = new HashSet<string>();
            var run = await stack.As(Caller.Name(http)).CatchUpAsync(
                new CatchUpRequest(Approve: body.Stores ?? [], ApproveAll: body.All), approved: a => approved = a, ct: ct);
            snapshots.Invalidate();
            var report = run.Report;
            return TypedResults.Ok(new ApprovalDocument([.. approved.Order(StringComparer.Ordinal)], [.. report.Released.Select(e => e.Store)],
                [.. report.CaughtUp.Select(e => e.Store)], report.Remaining.Count, report.Error));
        }).WithName("ApproveCatchUp").WithSummary("Approves hold-for-review stores (or all) and runs a catch-up pass");
    }

    private static string Reason(string? given, string verb) => given is { Length: > 0 } r ? r : $"{verb} through the API";
}

/// <summary>What to roll back: a ring (null: every ring), optionally to a recorded version, and why.</summary>
public sealed record RollbackBody(string? Ring, int? ToVersion, string? Reason);

/// <summary>What one ring's rollback did: from which version and release to which, the commit, what it put on hold.</summary>
public sealed record RollbackDocument(string Ring, int? FromVersion, string? FromRelease, int? ToVersion, string? ToRelease, string? Revision,
    IReadOnlyList<string> Held, string? Error);

/// <summary>The stack's freeze (null when not frozen).</summary>
public sealed record FreezeDocument(EdgeInfra.Rollout.Persistence.Freeze? Freeze);

/// <summary>Releases to hold (<c>app=version</c>) and why.</summary>
public sealed record HoldBody(IReadOnlyList<string>? Releases, string? Reason);

/// <summary>Stores to approve for catch-up, or all that await approval.</summary>
public sealed record ApprovalBody(IReadOnlyList<string>? Stores, bool All = false);

/// <summary>What an approval did: the stores approved, released and caught up by the pass, how many still wait.</summary>
public sealed record ApprovalDocument(IReadOnlyList<string> Approved, IReadOnlyList<string> Released, IReadOnlyList<string> CaughtUp, int Remaining, string? Error);
