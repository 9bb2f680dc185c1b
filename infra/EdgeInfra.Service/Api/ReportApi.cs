using EdgeInfra.Automation;
using EdgeInfra.Automation.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The compliance evidence report over the API: the same report as <c>edgeinfra report</c>, as self-contained
/// HTML (the default) or JSON. A tampered audit log is reported inside the document (<c>auditIntact</c> false), not as an
/// HTTP error: the evidence of the tampering is the answer.</summary>
internal static class ReportApi
{
    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/report", async Task<Results<ContentHttpResult, Ok<ComplianceReport>, ProblemHttpResult>> (EdgeInfraStack stack,
            TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, string? format, CancellationToken ct) =>
        {
            if (format is not (null or "html" or "json")) return Problems.BadRequest("format must be html or json (the PDF is the CLI's: edgeinfra report --format pdf)");
            var end = to ?? time.GetUtcNow();
            var start = from ?? end - TimeSpan.FromDays(30);
            if (end <= start) return Problems.BadRequest("from must be before to");
            var report = await stack.ReportAsync(new ReportRequest(start, end), ct);
            return format == "json"
                ? TypedResults.Ok(report)
                : TypedResults.Content(ComplianceHtml.Render(report), "text/html; charset=utf-8");
        }).WithName("GetReport").WithSummary("Compliance evidence of a period (default the last 30 days) as HTML or JSON");
    }
}
