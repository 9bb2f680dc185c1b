using EdgeInfra.Service.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Api;

/// <summary>The route that tells a caller who the service takes it for, so a client can offer only what its role may do.</summary>
internal static class CallerApi
{
    public static void Map(RouteGroupBuilder read) =>
        read.MapGet("/me", (HttpContext http) => TypedResults.Ok(new CallerDocument(Caller.Name(http),
                http.User.IsInRole(ServicePolicies.Operator) ? ServicePolicies.Operator : ServicePolicies.Viewer)))
            .WithName("GetCaller").WithSummary("The caller's token name and role (viewer or operator)");
}

/// <summary>Who the caller is: its token's name (the actor the audit records) and its role, <c>viewer</c> or <c>operator</c>.</summary>
public sealed record CallerDocument(string Name, string Role);
