using System.Text.Json;
using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using k8s;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>A lab hub over a test fleet repo, on a hand-driven virtual clock, with a KubernetesClient pointed at it.</summary>
internal sealed class SimLab : IAsyncDisposable
{
    public const string Group = "fleet.cattle.io";
    public const string Version = "v1alpha1";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private SimLab(TestFleetRepo repo, LabClock clock, LabHub hub)
    {
        Repo = repo;
        Clock = clock;
        Hub = hub;
        Kube = new Kubernetes(new KubernetesClientConfiguration { Host = hub.HubUri.ToString() });
    }

    public TestFleetRepo Repo { get; }
    public LabClock Clock { get; }
    public LabHub Hub { get; }
    public Kubernetes Kube { get; }

    public static async Task<SimLab> StartAsync(TestFleetRepo repo, LabSettings? settings = null, string? scenario = null, ulong seed = 7,
        string? stateDir = null, IReadOnlyList<string>? controllerShards = null)
    {
        var clock = new LabClock(Start, autoAdvance: false);
        var hub = await LabHub.StartAsync(new LabHubOptions
        {
            StateDir = stateDir ?? repo.StateDir, FleetRepoPath = repo.Path, Clock = clock, Seed = seed,
            Settings = settings ?? LabSettings.Default, Scenario = scenario, ControllerShards = controllerShards ?? [],
        });
        return new SimLab(repo, clock, hub);
    }

    /// <summary>A lab 22 virtual minutes into SimulatorRolloutTests' partitioned fleet, 2 minutes after release 1.1.0
    /// was committed: deployments promoted, applying and still on 1.0.0, so IDs, readiness and conditions all differ.</summary>
    /// <param name="clusters">Clusters added to the fleet's first commit.</param>
    public static async Task<SimLab> StartMidRolloutAsync(TestFleetRepo repo, params (string Path, string Content)[] clusters)
    {
        var files = SimulatorRolloutTests.Fleet("1.0.0", SimulatorRolloutTests.PartitionedStrategy);
        foreach (var (path, content) in clusters) files[path] = content;
        repo.Commit("fleet", files);
        var lab = await StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(20));
        repo.Commit("release 1.1.0", SimulatorRolloutTests.Release("1.1.0", SimulatorRolloutTests.PartitionedStrategy));
        lab.Advance(TimeSpan.FromMinutes(2));
        return lab;
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>Lists a Fleet resource through KubernetesClient's CustomObjects API, as the production hub client does.</summary>
    public async Task<JsonElement> ListAsync(string plural, string? ns = SimFleetFiles.Workspace, string? labelSelector = null, int? limit = null, string? continueToken = null)
    {
        var result = ns is null
            ? await Kube.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(Group, Version, plural, labelSelector: labelSelector, limit: limit, continueParameter: continueToken)
            : await Kube.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, Version, ns, plural, labelSelector: labelSelector, limit: limit, continueParameter: continueToken);
        return result;
    }

    /// <summary>Every BundleDeployment of <paramref name="bundle"/> by cluster name.</summary>
    public async Task<Dictionary<string, JsonElement>> DeploymentsAsync(string bundle)
    {
        var list = await ListAsync("bundledeployments", ns: null, labelSelector: $"fleet.cattle.io/bundle-name={bundle}");
        return list.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("metadata").GetProperty("labels").GetProperty("fleet.cattle.io/cluster").GetString()!, i => i);
    }

    public static string Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
            if (!e.TryGetProperty(p, out e)) return "";
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString();
    }

    public static bool OnAndReady(JsonElement bd, string? id = null)
    {
        var target = id ?? Str(bd, "spec", "deploymentID");
        return target.Length > 0 && Str(bd, "spec", "deploymentID") == target && Str(bd, "status", "appliedDeploymentID") == target &&
               bd.GetProperty("status").GetProperty("ready").GetBoolean();
    }

    public async ValueTask DisposeAsync()
    {
        Kube.Dispose();
        await Hub.DisposeAsync();
    }
}
