using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using EdgeInfra.Tests.Cli;
using System.Text.RegularExpressions;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>A small lab fleet whose Fleet simulator runs in real time in the test process, reached by the rollout host
/// the way a production hub is (a kubeconfig: <c>edge-infra:hub.kubeconfig</c>), with a real Prometheus scraping the
/// simulator's metrics endpoint every second and gating the rollout (<c>edge-infra:health.prometheus</c>).</summary>
/// <remarks>Bakes, agent timings and image sizes are cut to seconds so a whole rollout takes well under a minute of
/// wall time; pos-app is an immediate change so store maintenance windows (hours away in real time) do not apply.
/// Because the hub is reached like a real one, the mirror gate runs too: every registry zone's mirror is one real
/// docker-registry and pos-app's image (both releases, 2.4.1 and 2.5.0) is pushed to a real upstream.</remarks>
internal sealed partial class RealTimeLab : IAsyncDisposable
{
    [GeneratedRegex(@"mirror: https://mirror-[a-z-]+\.lab\.edgeinfra\.local:5000")]
    private static partial Regex MirrorUrl();

    private readonly SmallLab _lab;

    private RealTimeLab(SmallLab lab, LabHub hub, PrometheusServer prometheus)
    {
        _lab = lab;
        Hub = hub;
        Prometheus = prometheus;
    }

    public LabHub Hub { get; }

    public PrometheusServer Prometheus { get; }

    public SmallLab Lab => _lab;

    /// <param name="scenario">The lab scenario the simulator runs (its faults), e.g. <c>bad-release</c>.</param>
    /// <param name="warmMirrors">Copy the release images into the mirrors first (<c>mirror warm</c>).</param>
    public static async Task<RealTimeLab> StartAsync(int stores, RegistryFixture registries, string? scenario = null, bool warmMirrors = true)
    {
        var lab = await SmallLab.CreateAsync(stores);
        var repository = RegistryFixture.NewRepository();
        foreach (var version in new[] { "2.4.1", "2.5.0" })
            await TestImages.PushImageAsync(registries.Upstream.Url, repository, version);
        LabHub? hub = null;
        try
        {
            lab.Project.Edit(lab.Project.LabConfig, c => c
                .Replace("bake: 30m", "bake: 2s").Replace("bake: 2h", "bake: 2s")
                .Replace("pollingInterval: 15s", "pollingInterval: 1s")
                .Replace("checkinInterval: 1m ", "checkinInterval: 1s ").Replace("jitter: 10s ", "jitter: 200ms ")
                .Replace("applyTime: 20s ", "applyTime: 1s ").Replace("readyTime: 15s ", "readyTime: 1s ")
                .Replace("pos-app: 180", "pos-app: 1")
                .Replace("      kind: helm\n", "      kind: helm\n      changeClass: immediate\n")
                .Replace("image: registry.example.com/edge/pos-app", $"image: registry.example.com/{repository}")
                .Replace("  edge-infra:registryZones:\n", $"  edge-infra:registries:\n    registry.example.com: {registries.Upstream.Url}\n  edge-infra:registryZones:\n"));
            lab.Project.Edit(lab.Project.LabConfig, c => MirrorUrl().Replace(c, $"mirror: {registries.MirrorA.Url}"));
            hub = await LabHub.StartAsync(new LabHubOptions
            {
                StateDir = Path.Combine(lab.Dir, ".edgeinfra", "test-hub"),
                FleetRepoPath = lab.Project.FleetRepo,
                Clock = TimeProvider.System,
                Settings = LabConfigReader.ReadStackFile(lab.Project.LabConfig),
                Scenario = scenario,
                HubPollInterval = TimeSpan.FromSeconds(1),
            });
            var kubeconfig = Path.Combine(lab.Dir, "hub.kubeconfig");
            hub.WriteKubeconfig(kubeconfig);
            var prometheus = await PrometheusServer.StartAsync(hub.MetricsUri);
            var realTime = new RealTimeLab(lab, hub, prometheus);
            await realTime.SetAsync("hub.kubeconfig", kubeconfig);
            await realTime.SetAsync("health.prometheus", prometheus.Url.ToString());
            await realTime.SetAsync("health.window", "10s");
            await realTime.SetAsync("health.minRequests", "5");
            await realTime.SetAsync("rollout.gateInterval", "1s");
            await realTime.SetAsync("rollout.holdTimeout", "25s");
            if (warmMirrors) await realTime.WarmMirrorsAsync();
            return realTime;
        }
        catch
        {
            if (hub is not null) await hub.DisposeAsync();
            lab.Dispose();
            throw;
        }
    }

    /// <summary><c>mirror warm</c> of every ring: the mirrors then serve the configured release's images.</summary>
    public async Task WarmMirrorsAsync()
    {
        foreach (var ring in new[] { "retail-region-1", "retail-region-2", "all" })
            await _lab.OkAsync("mirror", "warm", "--stack", "lab", "--ring", ring);
    }

    public Task SetAsync(string path, string value) => _lab.OkAsync("config", "set", "--stack", "lab", "--path", path, value);

    /// <summary>One rollout run in this process, its output written to <paramref name="output"/> as it happens.</summary>
    public async Task<CliRun> RolloutAsync(TextWriter output)
    {
        var stderr = new StringWriter();
        var code = await EdgeInfra.Cli.CliApp.RunAsync(_lab.RolloutArgs(), output, stderr, TimeProvider.System);
        return new CliRun(code, output.ToString() ?? "", stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        await Hub.DisposeAsync();
        _lab.Dispose();
    }
}
