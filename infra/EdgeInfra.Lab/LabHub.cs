using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using EdgeInfra.Lab.Hub;
using EdgeInfra.Lab.Simulator;
using EdgeInfra.Lab.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeInfra.Lab;

/// <summary>The lab's Fleet hub: the simulator over the real fleet repo, served as Fleet's Kubernetes REST API and Prometheus metrics.</summary>
/// <remarks>
/// The model advances lazily: every request, and every jump of a <see cref="LabClock"/>, first processes the events
/// due up to the clock's now, in virtual-time order; the state is saved atomically every
/// <see cref="LabHubOptions.CheckpointInterval"/> of simulated time and when the hub stops. So a run depends only on
/// the seed, the fleet repo's commits and the virtual times at which they were pushed.
/// </remarks>
public sealed class LabHub : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly LabHubOptions _options;
    private readonly FleetSimulation _sim;
    private readonly ulong _seed;
    private WebApplication? _app;
    private ITimer? _realTimeTicker;
    private bool _disposed;

    private LabHub(LabHubOptions options, FleetSimulation sim, TimeProvider clock, ulong seed)
    {
        _options = options;
        _sim = sim;
        Clock = clock;
        _seed = seed;
    }

    /// <summary>The conventional state dir of a stack's lab: <c>&lt;project&gt;/.edgeinfra/lab/&lt;stack&gt;</c>.</summary>
    public static string StateDirFor(string projectDir, string stack) => Path.Combine(projectDir, ".edgeinfra", "lab", stack);

    /// <summary>The clock the hub runs on (shared with the walker in the lab).</summary>
    public TimeProvider Clock { get; }

    /// <summary>The hub's Kubernetes API base, e.g. <c>http://127.0.0.1:41234/</c> (a kubeconfig's <c>server</c>).</summary>
    public Uri HubUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The Prometheus scrape endpoint (<c>/metrics</c>).</summary>
    public Uri MetricsUri => new(HubUri, "metrics");

    /// <summary>The seed this lab runs with.</summary>
    public ulong Seed => _seed;

    /// <summary>What the fleet has cost so far (WAN bytes per region, applies), as of the clock's now.</summary>
    public LabStats Stats => Read(sim => new LabStats(sim.State.Now, new SortedDictionary<string, long>(sim.State.WanBytesByRegion, StringComparer.Ordinal),
        new SortedDictionary<string, long>(sim.State.MirrorBytesByZone, StringComparer.Ordinal), [.. sim.State.Applies], sim.State.EventLog.Count));

    /// <summary>The run's event log so far, in order.</summary>
    public IReadOnlyList<LabEvent> Events => Read(sim => (IReadOnlyList<LabEvent>)[.. sim.State.EventLog]);

    /// <summary>The <c>/metrics</c> exposition the hub serves, for one ring or (null) all: read in process.</summary>
    public string MetricsText(string? ring) => Read(sim => MetricsWriter.Write(sim, ring));

    /// <summary>The samples of <see cref="MetricsText"/> a gate reads, structured (read in process by the lab's own
    /// rollout host, which would otherwise print and parse the text at every gate evaluation).</summary>
    public IReadOnlyList<LabMetricSample> MetricSamples(string? ring) => Read(sim => MetricsWriter.Samples(sim, ring, _metricSeries));

    private readonly MetricLabelSets _metricSeries = new();

    /// <summary>Starts the hub: loads persisted state (unless <see cref="LabHubOptions.Reset"/>), then serves when asked.</summary>
    public static async Task<LabHub> StartAsync(LabHubOptions options, CancellationToken cancellationToken = default)
    {
        var loaded = options.Reset ? null : LabStateFile.Load(options.StateDir);
        var start = options.StartTime ?? LabHubOptions.DefaultStartTime;
        var state = loaded?.State ?? SimulationState.StartingAt(options.Clock is { } c && c is not LabClock ? c.GetUtcNow() : start);
        var clock = options.Clock ?? new LabClock(state.Now);
        if (clock is LabClock lab) lab.AdvanceTo(state.Now);
        if (loaded is null && clock is LabClock) state.Now = state.LabStart = clock.GetUtcNow();
        var seed = loaded?.Seed ?? options.Seed ?? options.Settings.Seed;
        var setup = new SimulationSetup(options.Settings, options.Settings.Scenario(options.Scenario), seed,
            new FleetRepoReader(options.FleetRepoPath, options.Branch), options.MirrorZones, options.HubPollInterval)
        {
            ControllerShards = options.ControllerShards.ToHashSet(StringComparer.Ordinal),
        };
        var hub = new LabHub(options, new FleetSimulation(setup, state), clock, seed);
        hub.Sync();
        if (clock is LabClock virtualClock) virtualClock.Advanced += hub.OnClockAdvanced;
        else if (!options.ReadOnly) hub._realTimeTicker = clock.CreateTimer(_ => hub.Sync(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        if (options.Serve) await hub.ServeAsync(cancellationToken);
        return hub;
    }

    /// <summary>Processes everything due up to the clock's now (saving when a checkpoint is due); what every request does first.</summary>
    public void Sync()
    {
        lock (_gate) SyncLocked();
    }

    private void OnClockAdvanced(DateTimeOffset now) => Sync();

    /// <param name="checkpoint">Save whatever changed (the hub is stopping), not only when a checkpoint is due.</param>
    private void SyncLocked(bool checkpoint = false)
    {
        if (_disposed || _options.ReadOnly) return;
        var started = Stopwatch.GetTimestamp();
        _sim.AdvanceTo(Clock.GetUtcNow());
        var advanced = Stopwatch.GetTimestamp();
        _timings.Simulate += advanced - started;
        // Writing the whole state after every pass cost more than simulating (hundreds of multi-MB saves per lab
        // rollout): save at checkpoints of simulated time instead, atomically, so a kill at any point leaves a state
        // the next run reads and simulates on from.
        if (!_sim.Dirty) return;
        if (!checkpoint && _savedAt is { } last && _sim.State.Now - last < _options.CheckpointInterval) return;
        LabStateFile.Save(_options.StateDir, _sim.State, _seed, _sim.Setup.Scenario.Name);
        _sim.Dirty = false;
        _savedAt = _sim.State.Now;
        _timings.Persist += Stopwatch.GetTimestamp() - advanced;
        _timings.Saves++;
    }

    /// <summary>The virtual time of the last save; null before the first (which is made at once).</summary>
    private DateTimeOffset? _savedAt;

    /// <summary>Where the hub's wall time went (simulating, persisting, serialising), for <c>EDGEINFRA_TIMINGS=1</c>.</summary>
    public string Timings
    {
        get
        {
            lock (_gate)
                return $"lab hub: simulate {Ms(_timings.Simulate)} ms, persist {Ms(_timings.Persist)} ms ({_timings.Saves} saves), " +
                       $"serialise {Ms(_timings.Render)} ms ({_timings.Renders} responses)";
        }
    }

    private static long Ms(long ticks) => ticks * 1000 / Stopwatch.Frequency;

    private sealed class HubTimings
    {
        public long Simulate, Persist, Render, Saves, Renders;
    }

    private readonly HubTimings _timings = new();
    private readonly HubListCache _servingCache = new();

    /// <summary>The list indexes for the state as it is now; only under the lock (inside <see cref="Render"/>).</summary>
    internal HubListCache ServingCache(FleetSimulation sim)
    {
        _servingCache.Validate(sim);
        return _servingCache;
    }

    /// <summary>How often the serving indexes were rebuilt for a new state version (for tests).</summary>
    internal int ServingCacheRebuilds
    {
        get
        {
            lock (_gate) return _servingCache.Rebuilds;
        }
    }

    internal T Read<T>(Func<FleetSimulation, T> read)
    {
        lock (_gate)
        {
            SyncLocked();
            return read(_sim);
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        // No appsettings file is read, so none is watched: by default the host watches its content root (the working
        // directory) for config changes, and every file written anywhere under it (state, audit, the fleet repo, or any
        // other process's) woke a watcher that allocated ~7 MB/s in an idle service, kept as garbage until a collection.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _options.Port));
        var app = builder.Build();
        HubApi.Map(app, this);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        HubUri = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    /// <summary>Writes a kubeconfig whose only cluster is this hub (no credentials: the lab has none).</summary>
    public void WriteKubeconfig(string path)
    {
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: edgeinfra-lab
              cluster:
                server: {HubUri.ToString().TrimEnd('/')}
            contexts:
            - name: edgeinfra-lab
              context:
                cluster: edgeinfra-lab
                user: edgeinfra-lab
            current-context: edgeinfra-lab
            users:
            - name: edgeinfra-lab
              user: {"{}"}
            """;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text + "\n");
    }

    /// <summary>Serialises under the hub's lock, after advancing; the caller writes the body out, which returns its
    /// pooled buffer.</summary>
    /// <remarks>A list page of thousands of objects is megabytes: written into one buffer that has grown to the largest
    /// answer (no doubling its way there from 64 KB per answer, copying as it grows), then copied once into a pooled one
    /// (on a 50,000-store fleet fresh arrays per answer were a third of a status read's allocations, on the large-object
    /// heap).</remarks>
    internal PooledJsonBody Render(Action<FleetSimulation, Utf8JsonWriter> write)
    {
        lock (_gate)
        {
            SyncLocked();
            // One buffer, grown to the largest answer and written again for every answer under the lock; each answer
            // leaves with a pooled copy.
            _renderBuffer.ResetWrittenCount();
            var started = Stopwatch.GetTimestamp();
            using (var w = new Utf8JsonWriter(_renderBuffer)) write(_sim, w);
            _timings.Render += Stopwatch.GetTimestamp() - started;
            _timings.Renders++;
            return new PooledJsonBody(_renderBuffer.WrittenSpan);
        }
    }

    private readonly ArrayBufferWriter<byte> _renderBuffer = new(1 << 16);

    public async ValueTask DisposeAsync()
    {
        if (Clock is LabClock lab) lab.Advanced -= OnClockAdvanced;
        if (_realTimeTicker is not null) await _realTimeTicker.DisposeAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        lock (_gate)
        {
            SyncLocked(checkpoint: true);
            _disposed = true;
        }
    }
}
