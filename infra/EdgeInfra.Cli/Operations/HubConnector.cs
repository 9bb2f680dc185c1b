using EdgeInfra.Engine;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Providers.Prometheus;
using EdgeInfra.Rollout.Gates.Metrics;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Stacks.Config;

namespace EdgeInfra.Cli.Operations;

/// <summary>The rollout host's view of a stack's hub and metrics, opened from the stack config: the Fleet hub through a
/// kubeconfig and Prometheus in prod; the embedded Fleet simulator (over its persisted state) and its metrics in the lab.</summary>
/// <remarks>
/// Open one per command run and dispose it when done: in the lab, disposing stops the simulator (its state stays
/// persisted under <c>.edgeinfra/lab/&lt;stack&gt;/</c>). The <see cref="TimeProvider"/> given to <see cref="OpenAsync"/>
/// is shared with the simulator (the lab's LabClock), so gate windows, bakes and check-ins all read one clock.
/// </remarks>
internal sealed class HubConnector : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned;

    private HubConnector(HubSettings hub, HealthSettings health, IFleetStatusReader status, IMetricsSource metrics,
        List<IAsyncDisposable> owned)
    {
        Hub = hub;
        Health = health;
        Status = status;
        Metrics = metrics;
        _owned = owned;
    }

    /// <summary>The stack's <c>edge-infra:hub</c> config.</summary>
    public HubSettings Hub { get; }

    /// <summary>The stack's <c>edge-infra:health</c> config: the metric gates to build over <see cref="Metrics"/>.</summary>
    public HealthSettings Health { get; }

    /// <summary>True when the hub is the embedded lab simulator.</summary>
    public bool IsLab => Hub.IsLab;

    /// <summary>Reads the hub and classifies every store; never throws for an unreachable hub (the reason is in the result).</summary>
    public IFleetStatusReader Status { get; }

    /// <summary>Where metric gates read request metrics: Prometheus, or the lab's own scrape of the simulator.</summary>
    public IMetricsSource Metrics { get; }

    /// <summary>Reads <c>edge-infra:hub</c> and <c>edge-infra:health</c> of the workspace's stack and opens both.</summary>
    /// <param name="time">The run's clock; in the lab, the LabClock the simulator runs on.</param>
    /// <param name="policy">Offline thresholds and the failure deadline (from <c>edge-infra:rollout</c>).</param>
    /// <exception cref="InputException">The hub or health config is bad, or the kubeconfig cannot be used.</exception>
    public static Task<HubConnector> OpenAsync(FleetWorkspace ws, TimeProvider time, FleetStatusPolicy policy, CancellationToken cancellationToken)
    {
        var hub = HubConfigReader.Load(ws.Config, ws.Project.ProjectDir);
        var health = HealthConfigReader.Load(ws.Config);
        return hub.IsLab
            ? OpenLabAsync(ws, hub, health, time, policy, cancellationToken)
            : Task.FromResult(OpenProd(hub, health, policy));
    }

    private static HubConnector OpenProd(HubSettings hub, HealthSettings health, FleetStatusPolicy policy)
    {
        FleetHubClient client;
        try
        {
            client = FleetHubClient.FromKubeconfig(hub.Kubeconfig!, hub.Context, hub.RequestTimeout);
        }
        catch (FleetHubException e)
        {
            throw new InputException($"edge-infra:hub: {e.Message}");
        }
        var owned = new List<IAsyncDisposable> { new Disposer(client) };
        IMetricsSource metrics;
        if (health.Prometheus is { } url)
        {
            var source = new PrometheusMetricsSource(new PrometheusClient(url, health.RequestTimeout));
            owned.Add(new Disposer(source));
            metrics = source;
        }
        else
        {
            metrics = new UnavailableMetricsSource(
                $"no Prometheus configured for a hub that is not the lab (set edge-infra:health.prometheus)");
        }
        return new HubConnector(hub, health, new FleetStatusReader(client, policy), metrics, owned);
    }

    private static Task<HubConnector> OpenLabAsync(FleetWorkspace ws, HubSettings hub, HealthSettings health, TimeProvider time,
        FleetStatusPolicy policy, CancellationToken cancellationToken)
    {
        _ = (ws, hub, health, time, policy, cancellationToken);
        throw new InputException("the lab hub needs the embedded Fleet simulator, which this build does not have yet");
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync().ConfigureAwait(false);
        _owned.Clear();
    }

    private sealed class Disposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
