using EdgeInfra.Automation;
using EdgeInfra.Service.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The preview route: what an update of the stack's current files would change, per engine stack, as JSON or
/// as the pull-request comment <c>edgeinfra preview --format markdown</c> writes.</summary>
internal static class PreviewApi
{
    public const string Markdown = "markdown";
    public const string Json = "json";

    public static void Map(RouteGroupBuilder read)
    {
        // A preview changes nothing, so a viewer may ask for one; it is a POST because it computes, and may take seconds.
        read.MapPost("/previews", async Task<Results<Ok<StackPreview>, ContentHttpResult, ProblemHttpResult>> (EdgeInfraStack stack,
            PreviewBody? body, string? format, CancellationToken ct) =>
        {
            if (format is not null && body?.Format is not null && format != body.Format)
                return Problems.BadRequest($"the query asks for format '{format}' and the body for '{body.Format}'; ask once");
            var chosen = format ?? body?.Format ?? Json;
            if (chosen is not (Json or Markdown))
                return Problems.BadRequest($"format '{chosen}' is not one of: {Json}, {Markdown}");
            var preview = await stack.PreviewAsync(new PreviewRequest(body?.Ring), ct);
            return chosen == Markdown
                ? TypedResults.Text(MarkdownPreview.Render(preview), "text/markdown; charset=utf-8")
                : TypedResults.Ok(preview);
        })
            .WithName("Preview").WithSummary("What an update would change, per engine stack, without touching anything; " +
                                             "?format=markdown (or \"format\": \"markdown\") answers with the pull-request comment")
            .WithMetadata(new ReadOnlyRoute());
    }
}

/// <summary>What to preview: one ring with the base stack, or (null) every ring; and how (<c>json</c>, the default, or
/// <c>markdown</c>).</summary>
public sealed record PreviewBody(string? Ring, string? Format = null);
