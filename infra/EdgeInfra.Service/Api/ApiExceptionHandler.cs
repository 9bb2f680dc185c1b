using EdgeInfra.Automation;
using EdgeInfra.Automation.Plans;
using EdgeInfra.Engine;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Service.Rollouts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace EdgeInfra.Service.Api;

/// <summary>Turns the program's errors into problem details, with the status the CLI's exit code stands for: bad input
/// is the caller's (4xx), a conflict with a running rollout or a hold is 409, anything else is the service's (500).</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        (int status, string title, string detail, IReadOnlyList<string>? errors) = exception switch
        {
            UsageException e => (StatusCodes.Status400BadRequest, "bad request", e.Message, null),
            InputException e => (StatusCodes.Status422UnprocessableEntity, "invalid stack input", $"{e.Problems.Count} problem(s) in the stack's files", e.Problems),
            StackLockedException e => (StatusCodes.Status409Conflict, "stack locked", e.Message, null),
            ReleaseHeldException e => (StatusCodes.Status409Conflict, "release on hold", e.Message, null),
            RolloutConflictException e => (StatusCodes.Status409Conflict, "rollout running", e.Message, null),
            PlanStaleException e => (StatusCodes.Status409Conflict, "plan out of date", e.Message, e.Moved),
            BadHttpRequestException e => (e.StatusCode, "bad request", e.Message, null),
            _ => (StatusCodes.Status500InternalServerError, "internal error", exception.Message, (IReadOnlyList<string>?)null),
        };
        context.Response.StatusCode = status;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null) details.Extensions["problems"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }
}
