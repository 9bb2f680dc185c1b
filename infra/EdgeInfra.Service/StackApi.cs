using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeInfra.Automation;
using EdgeInfra.Service.Api;
using EdgeInfra.Service.Rollouts;
using EdgeInfra.Service.Status;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeInfra.Service;

/// <summary>The service of one stack: its API routes over the Automation layer and the background rollout runner.</summary>
public static class StackApi
{
    /// <summary>How long one hub read serves status and store pages before the next caller reads again.</summary>
    public static readonly TimeSpan StatusMaxAge = TimeSpan.FromSeconds(5);

    /// <summary>Up to how old a hub read is still answered at once (its <c>asOf</c> says how old) while a new one runs
    /// in the background.</summary>
    public static readonly TimeSpan StatusStaleLimit = TimeSpan.FromSeconds(60);

    /// <summary>Builds the service of <paramref name="stack"/> (not started).</summary>
    public static Microsoft.AspNetCore.Builder.WebApplication Create(ServiceOptions options, EdgeInfraStack stack, TimeProvider time)
    {
        var snapshots = new StatusSnapshots(stack, time, StatusMaxAge, StatusStaleLimit);
        return ServiceApp.Create(options with { Readiness = ct => ReadinessAsync(stack, snapshots, ct) }, services =>
        {
            services.AddSingleton(stack);
            services.AddSingleton(time);
            services.AddSingleton(snapshots);
            services.AddSingleton(new RolloutRecords(Path.Combine(stack.RolloutDirectory, "service")));
            services.AddSingleton<ServiceMetrics>();
            services.AddSingleton<RolloutRunner>();
            services.AddHostedService(sp => sp.GetRequiredService<RolloutRunner>());
            services.AddExceptionHandler<ApiExceptionHandler>();
            services.Configure<JsonOptions>(o =>
            {
                o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
                o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            });
        }, (read, act) =>
        {
            CallerApi.Map(read);
            StatusApi.Map(read);
            AuditApi.Map(read);
            ReportApi.Map(read);
            PreviewApi.Map(read);
            RolloutApi.Map(read, act);
            DecisionApi.Map(read, act);
        });
    }

    /// <summary>Ready when the stack's rollout state reads and the hub answers (as of the last status read).</summary>
    private static async Task<IReadOnlyList<string>> ReadinessAsync(EdgeInfraStack stack, StatusSnapshots snapshots, CancellationToken ct)
    {
        try
        {
            _ = stack.LastRollout();
            _ = stack.Controls();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return [$"rollout state unreadable: {e.Message}"];
        }
        var snapshot = await snapshots.GetAsync(fresh: false, ct);
        return snapshot.Reachable ? [] : [$"hub unreachable: {snapshot.Error}"];
    }
}
