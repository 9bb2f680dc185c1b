using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.State;
using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Device;
using EdgeInfra.Providers.Ssh;
using EdgeInfra.Providers.FleetRepo;

namespace EdgeInfra.Automation;

/// <summary>The engine wired for one stack of the project: file state backend, fleet-repo and device providers (SSH when
/// the stack bootstraps devices, staged in state otherwise).</summary>
internal sealed class EngineSession : IDisposable
{
    /// <summary>Stack config key of a token for pushing to the fleet repo over HTTPS (a secret).</summary>
    public const string FleetRepoTokenKey = "edge-infra:fleetRepoToken";

    private readonly FleetRepoProvider _fleetRepo;
    private readonly IDisposable? _device;

    private EngineSession(IStateBackend backend, StackEngine engine, FleetRepoProvider fleetRepo, IDisposable? device)
    {
        Backend = backend;
        Engine = engine;
        _fleetRepo = fleetRepo;
        _device = device;
    }

    public IStateBackend Backend { get; }
    public StackEngine Engine { get; }

    /// <param name="writerStack">The stack that will write the fleet repo: each writer gets its own cache clone, so
    /// concurrent ups of different rings never share one.</param>
    public static EngineSession Open(FleetWorkspace ws, string writerStack, TimeProvider time)
    {
        var backend = ws.Backend;
        var fleetRepo = new FleetRepoProvider(RepoOptions(ws, writerStack), time, Credentials(ws));
        var providers = new Dictionary<string, IResourceProvider>(StringComparer.Ordinal)
        {
            [FleetProviders.FleetRepo] = fleetRepo,
            [FleetProviders.Device] = DeviceProvider(ws, time),
        };
        return new EngineSession(backend, new StackEngine(backend, providers, time), fleetRepo, providers[FleetProviders.Device] as IDisposable);
    }

    /// <summary>Concurrent provider steps for a stack: enough to keep every SSH slot busy when devices are bootstrapped.</summary>
    /// <remarks>Steps of one store wait on each other (its files, then K3s, then the restart) and a refresh's reads of
    /// one store wait for their one batched probe, so a step slot per device resource of every device in flight: the SSH
    /// provider's own concurrency limit is what bounds the work on the devices.</remarks>
    public static int? DefaultParallelism(FleetWorkspace ws) =>
        ws.Model.Bootstrap is { } b ? b.Concurrency * DeviceResourcesPerStore + 4 * Environment.ProcessorCount : null;

    /// <summary>config.yaml, registries.yaml, the Fleet agent manifest, the K3s install and the K3s service.</summary>
    private const int DeviceResourcesPerStore = 5;

    /// <summary>SSH to the store devices when the stack configures <c>edge-infra:bootstrap</c>; otherwise (the lab) device
    /// files are staged in state only.</summary>
    private static IResourceProvider DeviceProvider(FleetWorkspace ws, TimeProvider time)
    {
        if (ws.Model.Bootstrap is not { } bootstrap) return new StagedDeviceFileProvider();
        var k3s = new K3sInstallOptions(
            bootstrap.K3s.Install == K3sBootstrap.AirgapInstall ? K3sInstallMode.Airgap : K3sInstallMode.Script,
            bootstrap.K3s.ScriptUrl, bootstrap.K3s.ArtifactsDir);
        var options = new SshProviderOptions(ws.Config.GetSecret(bootstrap.PrivateKeyConfigKey), bootstrap.Concurrency,
            bootstrap.ConnectTimeout, bootstrap.CommandTimeout, bootstrap.Retries, TimeSpan.FromMilliseconds(200), k3s,
            FleetResourceTypes.K3sInstall, FleetResourceTypes.K3sService);
        var stores = ws.Model.Stores.ToDictionary(s => s.Id, StringComparer.Ordinal);
        SshEndpoint? Endpoint(string id) =>
            stores.TryGetValue(id, out var store) && bootstrap.EndpointOf(store).Endpoint is { } e
                ? new SshEndpoint(id, e.Host, e.Port, e.User, e.HostKey)
                : null;
        // Host keys recorded on first contact live in the outputs of each ring's device resources; a store may have moved rings.
        async Task<IReadOnlyDictionary<string, string>> Recorded(CancellationToken ct)
        {
            var states = new List<ResourceState>();
            foreach (var ring in ws.Rings)
                states.AddRange((await ws.Backend.LoadAsync(FleetStackBuilder.RingStackName(ws.Stack, ring.Name), ct)).Resources);
            return SshDeviceProvider.RecordedHostKeys(states);
        }
        return new SshDeviceProvider(options, Endpoint, Recorded, time);
    }

    /// <summary>How the fleet repo is reached, with a cache clone of its own under <c>cache/&lt;cacheName&gt;/</c>.</summary>
    public static FleetRepoOptions RepoOptions(FleetWorkspace ws, string cacheName) => new(
        ResolveRemote(ws.Project.ProjectDir, ws.Fleet.Repo.Url),
        ws.Fleet.Repo.Branch,
        Path.Combine(ws.Project.StateRoot, "cache", cacheName, "fleet.git"),
        "EdgeInfra",
        "edgeinfra@localhost");

    public static FleetRepoCredentials? Credentials(FleetWorkspace ws) =>
        ws.Config.Get(FleetRepoTokenKey) is null ? null : FleetRepoCredentials.FromToken(ws.Config.GetSecret(FleetRepoTokenKey));

    /// <summary>A relative local path in config means relative to the project directory, not to where the CLI runs.</summary>
    private static string ResolveRemote(string projectDir, string url) =>
        url.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(url) ? url : Path.GetFullPath(Path.Combine(projectDir, url));

    public void Dispose()
    {
        if (PhaseTimer.Enabled && _device is SshDeviceProvider ssh && ssh.Timings.Entries.Count > 0)
        {
            Console.Error.WriteLine(ssh.Timings.Summary());
            Console.Error.WriteLine($"ssh: thread pool now {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items queued");
            // The full per-operation trace (one line per connect and command) for a closer look at one run.
            if (Environment.GetEnvironmentVariable("EDGEINFRA_SSH_TRACE") is { Length: > 0 } trace) File.WriteAllText(trace, ssh.Timings.Trace());
        }
        _fleetRepo.Dispose();
        _device?.Dispose();
    }
}
