using EdgeInfra.Automation;
using EdgeInfra.Service.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The preview route: what an update of the stack's current files would change, per engine stack.</summary>
internal static class PreviewApi
{
    public static void Map(RouteGroupBuilder read)
    {
        // A preview changes nothing, so a viewer may ask for one; it is a POST because it computes, and may take seconds.
        read.MapPost("/previews", async (EdgeInfraStack stack, PreviewBody? body, CancellationToken ct) =>
            TypedResults.Ok(await stack.PreviewAsync(new PreviewRequest(body?.Ring), ct)))
            .WithName("Preview").WithSummary("What an update would change, per engine stack, without touching anything")
            .WithMetadata(new ReadOnlyRoute());
    }
}

/// <summary>What to preview: one ring with the base stack, or (null) every ring.</summary>
public sealed record PreviewBody(string? Ring);
