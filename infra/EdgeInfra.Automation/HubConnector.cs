using EdgeInfra.Engine;
using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using EdgeInfra.Lab.Hub;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Providers.Prometheus;
using EdgeInfra.Rollout.Gates.Metrics;
using EdgeInfra.Rollout.Status;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>How a command opens the hub: whether it may advance the lab, and which lab scenario runs.</summary>
/// <param name="ReadOnly">Lab only: serve the persisted state without advancing or persisting it (<c>status</c>).</param>
/// <param name="Scenario">Lab only: the <c>edge-infra:lab</c> scenario whose faults and offline schedules are active.</param>
/// <param name="Throwaway">Lab only: the lab's state is deleted after the run (a rehearsal's), so it is saved only when
/// the hub starts and stops, not at every checkpoint of simulated time; and nothing outside the process reads it, so the
/// hub is not served over HTTP: the status reader reads its objects in process (<see cref="LabHubSnapshots"/>).</param>
internal sealed record HubOpenOptions(bool ReadOnly = false, string? Scenario = null, bool Throwaway = false)
{
    public static HubOpenOptions Default { get; } = new();
}

/// <summary>The rollout host's view of a stack's hub and metrics, opened from the stack config: the Fleet hub through a
/// kubeconfig and Prometheus in prod; the embedded Fleet simulator (over its persisted state) and its metrics in the lab.</summary>
/// <remarks>
/// Open one per command run and dispose it when done: in the lab, disposing stops the simulator (its state stays
/// persisted under <c>.edgeinfra/lab/&lt;stack&gt;/</c>). In the lab the hub client still talks HTTP to the simulator,
/// so the production KubernetesClient path is the one exercised. A lab with <c>edge-infra:health.prometheus</c> set is
/// gated on that Prometheus (which scrapes the simulator's <see cref="LabHub.MetricsUri"/>); without one, the gates read
/// the simulator's metric samples in process (<see cref="LabHub.MetricSamples"/>).
/// </remarks>
internal sealed class HubConnector : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned;
    /// <summary>The client over the lab hub's HTTP API, when the status reads go through it (its reuse counts are
    /// reported with the lab's timings).</summary>
    private FleetHubClient? _labClient;

    private HubConnector(HubSettings hub, HealthSettings health, IFleetStatusReader status, IMetricsSource metrics,
        TimeProvider clock, LabHub? lab, List<IAsyncDisposable> owned)
    {
        Hub = hub;
        Health = health;
        Status = status;
        Metrics = metrics;
        Clock = clock;
        Lab = lab;
        _owned = owned;
    }

    /// <summary>The stack's <c>edge-infra:hub</c> config.</summary>
    public HubSettings Hub { get; }

    /// <summary>The stack's <c>edge-infra:health</c> config: the metric gates to build over <see cref="Metrics"/>
    /// (<see cref="MetricGates.Create"/>).</summary>
    public HealthSettings Health { get; }

    /// <summary>True when the hub is the embedded lab simulator.</summary>
    public bool IsLab => Lab is not null;

    /// <summary>The running simulator in the lab (its URLs, stats and events); null in prod.</summary>
    public LabHub? Lab { get; }

    /// <summary>The clock store statuses are read at: the lab's virtual clock, or the run's clock in prod.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Reads the hub and classifies every store; never throws for an unreachable hub (the reason is in the result).</summary>
    public IFleetStatusReader Status { get; }

    /// <summary>Where metric gates read request metrics: Prometheus, or the lab's own scrape of the simulator.</summary>
    public IMetricsSource Metrics { get; }

    /// <inheritdoc cref="OpenAsync(FleetWorkspace, TimeProvider?, FleetStatusPolicy, HubOpenOptions, CancellationToken)"/>
    public static Task<HubConnector> OpenAsync(FleetWorkspace ws, TimeProvider? time, FleetStatusPolicy policy, CancellationToken cancellationToken) =>
        OpenAsync(ws, time, policy, HubOpenOptions.Default, cancellationToken);

    /// <summary>Reads <c>edge-infra:hub</c> and <c>edge-infra:health</c> of the workspace's stack and opens both.</summary>
    /// <param name="time">The run's clock. In the lab, the LabClock the walker shares with the simulator, or null for the
    /// lab's own virtual clock at its persisted now (what <c>status</c> reads at); never the system clock there unless a
    /// real Prometheus scrapes the simulator in real time. In prod, null means <see cref="TimeProvider.System"/>.</param>
    /// <param name="policy">Offline thresholds and the failure deadline (from <c>edge-infra:rollout</c>).</param>
    /// <exception cref="InputException">The hub, health or lab config is bad, or the kubeconfig cannot be used.</exception>
    public static async Task<HubConnector> OpenAsync(FleetWorkspace ws, TimeProvider? time, FleetStatusPolicy policy, HubOpenOptions options,
        CancellationToken cancellationToken)
    {
        var hub = HubConfigReader.Load(ws.Config, ws.Project.ProjectDir);
        var health = HealthConfigReader.Load(ws.Config);
        return hub.IsLab
            ? await OpenLabAsync(ws, hub, health, time, policy, options, cancellationToken).ConfigureAwait(false)
            : OpenProd(ws, hub, health, time ?? TimeProvider.System, policy);
    }

    private static HubConnector OpenProd(FleetWorkspace ws, HubSettings hub, HealthSettings health, TimeProvider time, FleetStatusPolicy policy)
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
        var metrics = health.Prometheus is { } url
            ? Own(owned, new PrometheusMetricsSource(new PrometheusClient(url, health.RequestTimeout)))
            : (IMetricsSource)new UnavailableMetricsSource("no Prometheus configured for a hub that is not the lab (set edge-infra:health.prometheus)");
        return new HubConnector(hub, health, new FleetStatusReader(client, policy, RingContent(ws, owned)), metrics, time, null, owned);
    }

    private static async Task<HubConnector> OpenLabAsync(FleetWorkspace ws, HubSettings hub, HealthSettings health, TimeProvider? time,
        FleetStatusPolicy policy, HubOpenOptions options, CancellationToken cancellationToken)
    {
        var settings = ReadLabSettings(ws);
        var owned = new List<IAsyncDisposable>();
        try
        {
            var lab = await LabHub.StartAsync(new LabHubOptions
            {
                StateDir = LabHub.StateDirFor(ws.Project.ProjectDir, ws.Stack),
                FleetRepoPath = ws.Fleet.Repo.Url,
                Branch = ws.Fleet.Repo.Branch,
                Clock = time,
                Settings = settings,
                Scenario = options.Scenario,
                ReadOnly = options.ReadOnly,
                Serve = !options.Throwaway,
                CheckpointInterval = options.Throwaway ? TimeSpan.MaxValue : LabHubOptions.DefaultCheckpointInterval,
                MirrorZones = ws.Model.Zones.Select(z => z.Name).ToHashSet(StringComparer.Ordinal),
                // The lab's hub runs the controllers the stack is configured for, as a hub installed with them would.
                ControllerShards = ws.Model.Settings.Sharding.ShardIds,
            }, cancellationToken).ConfigureAwait(false);
            owned.Add(lab);
            IMetricsSource metrics = health.Prometheus is { } url
                ? Own(owned, new PrometheusMetricsSource(new PrometheusClient(url, health.RequestTimeout)))
                // The simulator runs in this process: its metrics are read as samples, not printed and parsed at every gate
                // evaluation (its /metrics text is what a Prometheus scrapes, when one is configured).
                : new LabMetricsSource(ring => LabSamples(lab, ring), lab.Clock, retention: LongestWindow(health));
            IFleetStatusReader status;
            FleetHubClient? client = null;
            if (options.Throwaway)
            {
                var snapshots = new LabHubSnapshots(lab);
                status = new FleetStatusReader(snapshots.ReadSnapshotAsync, snapshots.ReadSnapshotAsync, policy, RingContent(ws, owned));
            }
            else
            {
                client = Own(owned, FleetHubClient.ForUrl(lab.HubUri, hub.RequestTimeout));
                status = new FleetStatusReader(client, policy, RingContent(ws, owned));
            }
            return new HubConnector(hub, health, status, metrics, lab.Clock, lab, owned) { _labClient = client };
        }
        catch
        {
            foreach (var o in Enumerable.Reverse(owned)) await o.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The longest window a configured metric gate reads (the lab keeps that much sample history); null when
    /// no gate is configured.</summary>
    private static TimeSpan? LongestWindow(HealthSettings health) => health.Gates.Count == 0 ? null : health.Gates.Max(g => g.Window);

    /// <summary>A ring's metric samples, read from the lab hub of this process.</summary>
    internal static IReadOnlyList<KeyedSample> LabSamples(LabHub lab, string ring) =>
        new KeyedSamples(lab.MetricSamples(string.IsNullOrEmpty(ring) ? null : ring));

    /// <summary>A scrape's samples seen as the gates' keyed samples, without copying them (a ring's scrape at 2,500
    /// stores is some 20,000 samples, at every gate evaluation).</summary>
    private sealed class KeyedSamples(IReadOnlyList<LabMetricSample> samples) : IReadOnlyList<KeyedSample>
    {
        public int Count => samples.Count;

        public KeyedSample this[int index]
        {
            get
            {
                var s = samples[index];
                return new KeyedSample(s.Series.Key, s.Series.Name, s.Series.Labels, s.Value);
            }
        }

        public IEnumerator<KeyedSample> GetEnumerator()
        {
            for (var i = 0; i < samples.Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Fleet relabels every BD with the last commit its GitRepo read: the status reader compares the ring's dirs
    /// in the fleet repo (a cache clone of its own when the repo is remote) to know a relabelled BD still runs the ring's revision.
    /// A fleet-repo token that cannot be decrypted here (no passphrase) leaves the comparison out rather than failing a
    /// read-only command: only the revision's own label then counts.</summary>
    private static RingContentHistory? RingContent(FleetWorkspace ws, List<IAsyncDisposable> owned)
    {
        FleetRepoCredentials? credentials;
        try
        {
            credentials = EngineSession.Credentials(ws);
        }
        catch (InputException)
        {
            return null;
        }
        return Own(owned, new RingContentHistory(EngineSession.RepoOptions(ws, "ring-content"), credentials));
    }

    internal static LabSettings ReadLabSettings(FleetWorkspace ws)
    {
        var entry = ws.Config.Get(LabConfigReader.Key);
        try
        {
            return entry is null ? LabSettings.Default : LabConfigReader.Read(entry.Value, entry.File);
        }
        catch (LabConfigException e)
        {
            throw new InputException(e.Problems);
        }
    }

    /// <summary>Ties <paramref name="item"/>'s lifetime to this connector's (e.g. the registry clients of the mirror gate).</summary>
    public T Own<T>(T item) where T : IDisposable => Own(_owned, item);

    private static T Own<T>(List<IAsyncDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(new Disposer(item));
        return item;
    }

    public async ValueTask DisposeAsync()
    {
        if (Lab is { } lab) PhaseTimer.Report(() => lab.Timings);
        if (_labClient is { } client) PhaseTimer.Report(() => $"hub client: {client.ObjectsReused.Reused} objects reused, {client.ObjectsReused.Parsed} parsed");
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
