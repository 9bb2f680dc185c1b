using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Service.Rollouts;
using EdgeInfra.Service.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The rollout routes: start one in the background, list and read them, follow one live, abort it.</summary>
internal static class RolloutApi
{
    public static void Map(RouteGroupBuilder read, RouteGroupBuilder act)
    {
        act.MapPost("/rollouts", async (RolloutRunner runner, StatusSnapshots snapshots, HttpContext http, RolloutStart? start, CancellationToken ct) =>
        {
            var record = await runner.StartAsync(start ?? new RolloutStart(), Caller.Name(http), ct);
            snapshots.Invalidate();
            return TypedResults.Accepted($"{ServiceApp.ApiPrefix}/rollouts/{record.Id}", record);
        }).WithName("StartRollout").WithSummary("Starts (or resumes) the stack's rollout in the background; 409 while one runs");

        read.MapGet("/rollouts", (RolloutRecords records) => TypedResults.Ok(records.List()))
            .WithName("ListRollouts").WithSummary("The rollouts the service started, newest first");

        read.MapGet("/rollouts/{id}", Results<Ok<RolloutDocument>, ProblemHttpResult> (RolloutRecords records, RolloutRunner runner, EdgeInfraStack stack, string id) =>
        {
            var record = runner.Run(id)?.Record ?? records.Find(id);
            if (record is null) return Problems.NotFound($"no rollout '{id}' in stack {stack.Name}");
            // The walker keeps one state per stack: it describes this rollout while no later one started.
            var latest = records.List().FirstOrDefault()?.Id == id;
            return TypedResults.Ok(new RolloutDocument(record, latest ? stack.LastRollout() : null));
        }).WithName("GetRollout").WithSummary("A rollout's record and, for the latest, the walker's rings and phases");

        read.MapGet("/rollouts/{id}/events", Results<ServerSentEventsResult<RolloutEvent>, ProblemHttpResult> (RolloutRunner runner, HttpContext http, string id,
            [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken ct) =>
        {
            if (runner.Run(id) is not { } run)
                return Problems.NotFound($"this service process keeps no events of rollout '{id}' (it ran before the service started); read its record at {ServiceApp.ApiPrefix}/rollouts/{id}");
            return TypedResults.ServerSentEvents(Stream(run, run.ResumeAfter(lastEventId), http.Response, ct));
        }).WithName("FollowRollout").WithSummary("The walker's decisions as server-sent events, from Last-Event-ID on, until the rollout ends");

        act.MapPost("/rollouts/{id}/abort", async Task<Results<Ok<RolloutRecord>, ProblemHttpResult>> (RolloutRunner runner, RolloutRecords records,
            StatusSnapshots snapshots, HttpContext http, string id, ReasonBody? body, CancellationToken ct) =>
        {
            var reason = body?.Reason is { Length: > 0 } r ? r : "aborted through the API";
            var ended = await runner.AbortAsync(id, Caller.Name(http), reason, ct);
            snapshots.Invalidate();
            if (ended is not null) return TypedResults.Ok(ended);
            return records.Find(id) is { } record
                ? Problems.Conflict($"rollout {id} is not running (status {record.Status})")
                : Problems.NotFound($"no rollout '{id}'");
        }).WithName("AbortRollout").WithSummary("Stops a running rollout; its walk stays resumable by a new start");
    }

    private static async IAsyncEnumerable<SseItem<RolloutEvent>> Stream(RolloutRun run, long after, HttpResponse response,
        [EnumeratorCancellation] CancellationToken ct)
    {
        // The result has set the stream's headers by now: flush them (starting alone does not send them), so a client that resumes with the newest id sees its
        // connection open at once rather than at the next event, which may be a bake away.
        await response.Body.FlushAsync(ct);
        await foreach (var e in run.Events.ReadAsync(after, ct))
            yield return new SseItem<RolloutEvent>(e.Item, e.Item.Kind) { EventId = run.EventId(e.Id) };
    }
}

/// <summary>A rollout's record, and the walker's persisted state when it is the stack's latest rollout.</summary>
public sealed record RolloutDocument(RolloutRecord Rollout, RolloutState? Walk);

/// <summary>Why a caller does what it does; recorded in the audit log.</summary>
public sealed record ReasonBody(string? Reason);

/// <summary>Who is calling: the name of the caller's token (or <c>loopback</c>), the actor the audit records.</summary>
internal static class Caller
{
    public static string Name(HttpContext http) => http.User.Identity?.Name ?? throw new InvalidOperationException("unauthenticated caller reached an authorised route");
}
