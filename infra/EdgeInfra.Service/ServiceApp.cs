using EdgeInfra.Service.Auth;
using EdgeInfra.Service.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace EdgeInfra.Service;

/// <summary>Builds the service's web application: Kestrel on one address, bearer-token roles, problem details,
/// OpenAPI, health, metrics, the dashboard's files at <c>/</c>, and the API routes a caller maps into its read and act groups.</summary>
public static class ServiceApp
{
    public const string ApiPrefix = "/api/v1";

    /// <param name="mapApi">Maps the API: read routes into the first group (any token), mutating routes into the second
    /// (operator tokens). A mutating route mapped outside the act group is refused at start-up.</param>
    public static WebApplication Create(ServiceOptions options, Action<IServiceCollection>? services, Action<RouteGroupBuilder, RouteGroupBuilder> mapApi)
    {
        if (options.Settings.Tokens.Count == 0 && !options.Listen.IsLoopback)
            throw new ServiceStartException(
                $"refusing to listen on {options.Listen} with no token: anyone who can reach it could roll out to every store. " +
                $"Listen on loopback (127.0.0.1), or add tokens: edgeinfra config set --stack {options.Stack} --path service.tokens.NAME.role operator; " +
                $"edgeinfra config set --stack {options.Stack} --secret --path service.tokens.NAME.token VALUE");

        // No appsettings file is read, so none is watched: by default the host watches its content root (the working
        // directory) for config changes, and every file written anywhere under it (state, audit, the fleet repo, or any
        // other process's) woke a watcher that allocated ~7 MB/s in an idle service, kept as garbage until a collection.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.Listen.Address, options.Listen.Port);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new ServiceTokenSet(options.Settings.Tokens));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ServicePolicies.Viewer, p => p.RequireRole(ServicePolicies.Viewer, ServicePolicies.Operator))
            .AddPolicy(ServicePolicies.Operator, p => p.RequireRole(ServicePolicies.Operator));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Prometheus scrapes without a token; metrics hold counts, never a secret or a store's data.
        app.UseMetricServer("/metrics");
        app.UseHttpMetrics();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            var problems = options.Readiness is { } readiness ? await readiness(ct) : [];
            return problems.Count == 0
                ? Results.Text("ready")
                : Results.Problem(title: "not ready", detail: string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().ExcludeFromDescription();
        DashboardFiles.Map(app);

        var read = app.MapGroup(ApiPrefix).RequireAuthorization(ServicePolicies.Viewer);
        var act = app.MapGroup(ApiPrefix).RequireAuthorization(ServicePolicies.Operator);
        mapApi(read, act);
        RouteRoles.EnsureMutatingRoutesNeedOperator(app);
        return app;
    }
}
