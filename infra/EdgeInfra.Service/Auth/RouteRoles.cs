using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Service.Auth;

/// <summary>Checks the route table: every route that changes something requires the operator policy.</summary>
/// <remarks>Checked at start-up rather than trusted to review, so a new route cannot forget its role check.</remarks>
internal static class RouteRoles
{
    private static readonly HashSet<string> ReadMethods = new(StringComparer.OrdinalIgnoreCase) { "GET", "HEAD", "OPTIONS" };

    /// <summary>The routes that accept a mutating method without requiring the operator policy (a route marked
    /// <see cref="ReadOnlyRoute"/> does not mutate).</summary>
    public static IReadOnlyList<string> UnguardedMutatingRoutes(IEnumerable<Endpoint> endpoints) =>
        [.. from e in endpoints.OfType<RouteEndpoint>()
            let methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]
            where methods.Any(m => !ReadMethods.Contains(m)) && e.Metadata.GetMetadata<ReadOnlyRoute>() is null
            where !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ServicePolicies.Operator)
            select $"{string.Join(',', methods)} {e.RoutePattern.RawText}"];

    public static void EnsureMutatingRoutesNeedOperator(WebApplication app)
    {
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints);
        var unguarded = UnguardedMutatingRoutes(endpoints);
        if (unguarded.Count > 0)
            throw new InvalidOperationException($"mutating routes without the operator policy: {string.Join("; ", unguarded)}");
    }
}
