using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>A small lab fleet whose Fleet simulator runs in real time in the test process, reached by the rollout host
/// the way a production hub is (a kubeconfig: <c>edge-infra:hub.kubeconfig</c>), with a real Prometheus scraping the
/// simulator's metrics endpoint every second and gating the rollout (<c>edge-infra:health.prometheus</c>).</summary>
/// <remarks>Bakes, agent timings and image sizes are cut to seconds so a whole rollout takes well under a minute of
/// wall time; pos-app is an immediate change so store maintenance windows (hours away in real time) do not apply.</remarks>
internal sealed class RealTimeLab : IAsyncDisposable
{
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
    public static async Task<RealTimeLab> StartAsync(int stores, string? scenario = null)
    {
        var lab = await SmallLab.CreateAsync(stores);
        LabHub? hub = null;
        try
        {
            lab.Project.Edit(lab.Project.LabConfig, c => c
                .Replace("bake: 30m", "bake: 2s").Replace("bake: 2h", "bake: 2s")
                .Replace("pollingInterval: 15s", "pollingInterval: 1s")
                .Replace("checkinInterval: 1m ", "checkinInterval: 1s ").Replace("jitter: 10s ", "jitter: 200ms ")
                .Replace("applyTime: 20s ", "applyTime: 1s ").Replace("readyTime: 15s ", "readyTime: 1s ")
                .Replace("pos-app: 180", "pos-app: 1")
                .Replace("      kind: helm\n", "      kind: helm\n      changeClass: immediate\n"));
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
            return realTime;
        }
        catch
        {
            if (hub is not null) await hub.DisposeAsync();
            lab.Dispose();
            throw;
        }
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
