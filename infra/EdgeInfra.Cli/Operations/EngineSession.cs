using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.Device;
using EdgeInfra.Providers.FleetRepo;

namespace EdgeInfra.Cli.Operations;

/// <summary>The engine wired for one stack of the project: file state backend, fleet-repo and device providers.</summary>
internal sealed class EngineSession : IDisposable
{
    /// <summary>Stack config key of a token for pushing to the fleet repo over HTTPS (a secret).</summary>
    public const string FleetRepoTokenKey = "edge-infra:fleetRepoToken";

    private readonly FleetRepoProvider _fleetRepo;

    private EngineSession(IStateBackend backend, StackEngine engine, FleetRepoProvider fleetRepo)
    {
        Backend = backend;
        Engine = engine;
        _fleetRepo = fleetRepo;
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
            [FleetProviders.Device] = new StagedDeviceFileProvider(),
        };
        return new EngineSession(backend, new StackEngine(backend, providers, time), fleetRepo);
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

    public void Dispose() => _fleetRepo.Dispose();
}
