using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeInfra.Service.Api;

/// <summary>RFC 9457 problem details for the answers the API gives on purpose.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "bad request", detail);
    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "not found", detail);
    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "conflict", detail);

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
