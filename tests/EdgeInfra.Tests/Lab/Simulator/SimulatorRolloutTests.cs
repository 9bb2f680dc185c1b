using System.Text.Json;
using k8s;
using EdgeInfra.Lab.Config;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>Bundles rolling out through the simulated hub, read over HTTP with KubernetesClient.</summary>
public sealed class SimulatorRolloutTests
{
    private const string Ring = "r1";
    private const string Bundle = "pos-app-r1";

    internal static readonly string PartitionedStrategy = """
          maxUnavailable: 1
          maxUnavailablePartitions: 0
          partitions:
            - name: canary
              clusterSelector:
                matchLabels:
                  canary: "true"
            - name: rest
              clusterSelector:
                matchLabels:
                  canary: "false"
        """;

    /// <summary>Eight stores: store-01/02 are canaries; store-07/08 sit on satellite links in western Europe.</summary>
    internal static Dictionary<string, string?> Fleet(string version, string strategy)
    {
        var files = new Dictionary<string, string?>();
        for (var i = 1; i <= 8; i++)
        {
            var name = $"store-{i:00}";
            var labels = SimFleetFiles.Labels(Ring, region: i >= 7 ? "western-europe" : "central-europe", network: i >= 7 ? "satellite" : "fiber");
            labels["canary"] = i <= 2 ? "true" : "false";
            var (path, content) = SimFleetFiles.Cluster(name, labels);
            files[path] = content;
        }
        foreach (var (path, content) in new[] { SimFleetFiles.ClusterGroup(Ring), SimFleetFiles.GitRepo(Ring, "pos-app"), SimFleetFiles.HelmBundle("pos-app", Ring, version, strategy) })
            files[path] = content;
        return files;
    }

    internal static Dictionary<string, string?> Release(string version, string strategy)
    {
        var (path, content) = SimFleetFiles.HelmBundle("pos-app", Ring, version, strategy);
        return new() { [path] = content };
    }

    [Fact]
    public async Task Rollout_ManualPartitionsMaxUnavailableOne_PromotesOneStoreAtATimeCanariesFirst()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("1.0.0", PartitionedStrategy));
        await using var lab = await SimLab.StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(20));
        var before = await lab.DeploymentsAsync(Bundle);
        Assert.Equal(8, before.Count);
        Assert.All(before.Values, bd => Assert.True(SimLab.OnAndReady(bd), bd.ToString()));
        var oldId = SimLab.Str(before["store-01"], "spec", "deploymentID");

        repo.Commit("release 1.1.0", Release("1.1.0", PartitionedStrategy));
        var firstPromoted = new Dictionary<string, DateTimeOffset>();
        var maxInFlight = 0;
        string? newId = null;
        for (var step = 0; step < 900 && (newId is null || firstPromoted.Count < 8 || !(await lab.DeploymentsAsync(Bundle)).Values.All(b => SimLab.OnAndReady(b, newId))); step++)
        {
            lab.Advance(TimeSpan.FromSeconds(2));
            var bds = await lab.DeploymentsAsync(Bundle);
            var inFlight = 0;
            foreach (var (cluster, bd) in bds)
            {
                var id = SimLab.Str(bd, "spec", "deploymentID");
                if (id == oldId) continue;
                newId ??= id;
                Assert.Equal(newId, id);
                firstPromoted.TryAdd(cluster, lab.Clock.GetUtcNow());
                if (!SimLab.OnAndReady(bd, newId)) inFlight++;
            }
            maxInFlight = Math.Max(maxInFlight, inFlight);
        }

        Assert.Equal(8, firstPromoted.Count);
        Assert.Equal(1, maxInFlight);
        var order = firstPromoted.OrderBy(p => p.Value).Select(p => p.Key).ToList();
        Assert.Equal(["store-01", "store-02"], order.Take(2).Order());
        Assert.True(firstPromoted["store-02"] < firstPromoted.Where(p => p.Key is not ("store-01" or "store-02")).Min(p => p.Value));

        lab.Advance(TimeSpan.FromSeconds(5)); // the controller writes the bundle status on its next reconcile
        var bundle = (await lab.ListAsync("bundles")).GetProperty("items").EnumerateArray().Single();
        var partitions = bundle.GetProperty("status").GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(["canary", "rest"], partitions.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(8, bundle.GetProperty("status").GetProperty("summary").GetProperty("ready").GetInt32());
        Assert.Equal("", SimLab.Str(bundle, "status", "display", "state"));
    }

    [Fact]
    public async Task Reconcile_CommitThatLeavesTheBundleAlone_RelabelsEveryBundleDeploymentWithItAndChangesNoSpec()
    {
        const string strategy = "  maxUnavailable: 8\n";
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("1.0.0", strategy));
        await using var lab = await SimLab.StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(20));
        var before = await lab.DeploymentsAsync(Bundle);

        // Another ring's change: Fleet's GitRepo reads the new head and relabels every BD of its bundles (fleet.md §5.5).
        var other = repo.Commit("another ring", new Dictionary<string, string?> { ["apps/pos-app/r2/fleet.yaml"] = "defaultNamespace: pos\n" });
        lab.Advance(TimeSpan.FromMinutes(1));
        var after = await lab.DeploymentsAsync(Bundle);

        Assert.Equal(8, after.Count);
        foreach (var (cluster, bd) in after)
        {
            Assert.Equal(other, SimLab.Str(bd, "metadata", "labels", "fleet.cattle.io/commit"));
            Assert.NotEqual(other, SimLab.Str(before[cluster], "metadata", "labels", "fleet.cattle.io/commit"));
            Assert.Equal(SimLab.Str(before[cluster], "spec", "deploymentID"), SimLab.Str(bd, "spec", "deploymentID"));
            Assert.Equal(before[cluster].GetProperty("metadata").GetProperty("generation").GetInt64(), bd.GetProperty("metadata").GetProperty("generation").GetInt64());
            Assert.True(SimLab.OnAndReady(bd), bd.ToString());
        }
    }

    [Fact]
    public async Task Rollout_StoresOfflineDuringRelease_NeverReportNewIdUntilTheyReturn()
    {
        var settings = LabSettings.Default with
        {
            Offline = [new OfflineSchedule(1.0, new Dictionary<string, string> { ["network-tier"] = "satellite" }, TimeSpan.FromMinutes(30), TimeSpan.FromHours(2))],
        };
        const string strategy = "  maxUnavailable: 3\n";
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("1.0.0", strategy));
        await using var lab = await SimLab.StartAsync(repo, settings);
        lab.Advance(TimeSpan.FromMinutes(40));
        repo.Commit("release 1.1.0", Release("1.1.0", strategy));

        string? newId = null;
        for (var minute = 40; minute < 145; minute += 5)
        {
            lab.Advance(TimeSpan.FromMinutes(5));
            var bds = await lab.DeploymentsAsync(Bundle);
            newId ??= bds.Values.Select(b => SimLab.Str(b, "spec", "stagedDeploymentID")).First();
            foreach (var offline in new[] { "store-07", "store-08" })
                Assert.NotEqual(newId, SimLab.Str(bds[offline], "status", "appliedDeploymentID"));
            if (minute >= 80)
                foreach (var online in Enumerable.Range(1, 6).Select(i => $"store-{i:00}"))
                    Assert.True(SimLab.OnAndReady(bds[online], newId), $"{online} at minute {minute}: {bds[online]}");
        }
        var clusters = (await lab.ListAsync("clusters")).GetProperty("items").EnumerateArray()
            .ToDictionary(c => SimLab.Str(c, "metadata", "name"), c => DateTimeOffset.Parse(SimLab.Str(c, "status", "agent", "lastSeen"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(clusters["store-07"] < SimLab.Start.AddMinutes(30), $"offline store seen at {clusters["store-07"]}");
        Assert.True(clusters["store-01"] > lab.Clock.GetUtcNow().AddMinutes(-2), $"online store seen at {clusters["store-01"]}");

        lab.Advance(TimeSpan.FromMinutes(30)); // the window ends at 2h30m
        var after = await lab.DeploymentsAsync(Bundle);
        Assert.All(after.Values, bd => Assert.True(SimLab.OnAndReady(bd, newId), bd.ToString()));
    }

    [Theory]
    [InlineData("errApplied")]
    [InlineData("notReady")]
    public async Task Rollout_FaultScenario_BreaksOnlyTheSelectedStores(string effect)
    {
        var yaml = $$"""
            seed: 3
            scenarios:
              bad-release:
                faults:
                  - app: pos-app
                    version: "1.1.0"
                    selector: {region: western-europe}
                    effect: {{effect}}
            """;
        var settings = LabConfigReader.Read(LabConfigTests.Parse(yaml), "Pulumi.test.yaml");
        const string strategy = "  maxUnavailable: 8\n";
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("1.0.0", strategy));
        await using var lab = await SimLab.StartAsync(repo, settings, scenario: "bad-release");
        lab.Advance(TimeSpan.FromMinutes(20));
        repo.Commit("release 1.1.0", Release("1.1.0", strategy));
        lab.Advance(TimeSpan.FromMinutes(30));

        var bds = await lab.DeploymentsAsync(Bundle);
        var expected = effect == "errApplied" ? "ErrApplied" : "NotReady";
        foreach (var (cluster, bd) in bds)
        {
            var broken = cluster is "store-07" or "store-08";
            Assert.Equal(broken ? expected : "Ready", SimLab.Str(bd, "status", "display", "state"));
        }
        var bundle = (await lab.ListAsync("bundles")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(6, bundle.GetProperty("status").GetProperty("summary").GetProperty("ready").GetInt32());
        Assert.Equal(2, bundle.GetProperty("status").GetProperty("summary").GetProperty(effect == "errApplied" ? "errApplied" : "notReady").GetInt32());
    }

    [Fact]
    public async Task Rollout_SameSeedSameCommits_GivesTheSameEventLog()
    {
        async Task<List<string>> Run(ulong seed)
        {
            using var repo = new TestFleetRepo();
            repo.Commit("fleet", Fleet("1.0.0", PartitionedStrategy));
            await using var lab = await SimLab.StartAsync(repo, seed: seed);
            lab.Advance(TimeSpan.FromMinutes(20));
            repo.Commit("release 1.1.0", Release("1.1.0", PartitionedStrategy));
            for (var i = 0; i < 40; i++)
            {
                lab.Advance(TimeSpan.FromSeconds(37));
                _ = await lab.DeploymentsAsync(Bundle); // requests in between must not change the run
            }
            return [.. lab.Hub.Events.Select(e => e.ToString())];
        }

        var first = await Run(11);
        var second = await Run(11);
        var other = await Run(12);

        Assert.True(first.Count > 50, $"only {first.Count} events");
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Checkpoints_KilledBetweenSaves_RestartFromTheLastSaveSimulatesToTheSameHub()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("1.0.0", PartitionedStrategy));
        await using var lab = await SimLab.StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(6)); // a checkpoint: the last save (at the start) is 5 virtual minutes old
        repo.Commit("release 1.1.0", Release("1.1.0", PartitionedStrategy));
        lab.Advance(TimeSpan.FromMinutes(3)); // no checkpoint yet
        Assert.Equal(SimLab.Start.AddMinutes(6), PersistedNow(repo.StateDir));

        // What a kill -9 now leaves behind: the state saved at 6 minutes, atomically.
        var killed = Path.Combine(repo.Dir, "killed");
        Directory.CreateDirectory(killed);
        foreach (var f in Directory.GetFiles(repo.StateDir)) File.Copy(f, Path.Combine(killed, Path.GetFileName(f)));
        await using var rerun = await SimLab.StartAsync(repo, stateDir: killed);
        Assert.Equal(SimLab.Start.AddMinutes(6), rerun.Clock.GetUtcNow());
        rerun.Advance(TimeSpan.FromMinutes(3));
        lab.Advance(TimeSpan.FromMinutes(10));
        rerun.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal((await lab.ListAsync("bundledeployments", ns: null)).GetProperty("items").ToString(),
            (await rerun.ListAsync("bundledeployments", ns: null)).GetProperty("items").ToString());
        Assert.Equal(lab.Hub.Events.Select(e => e.ToString()), rerun.Hub.Events.Select(e => e.ToString()));
        Assert.Contains(lab.Hub.Events, e => e.Kind == "bd-ready" && e.At > SimLab.Start.AddMinutes(9));
    }

    private static DateTimeOffset PersistedNow(string stateDir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(stateDir, "state.json"))).RootElement.GetProperty("Now").GetDateTimeOffset();

    [Fact]
    public async Task Restart_FromPersistedState_ServesTheSameHubAndClock()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("1.0.0", PartitionedStrategy));
        string before;
        DateTimeOffset clockBefore;
        await using (var lab = await SimLab.StartAsync(repo))
        {
            lab.Advance(TimeSpan.FromMinutes(3));
            before = (await lab.ListAsync("bundledeployments", ns: null)).GetProperty("items").ToString();
            clockBefore = lab.Clock.GetUtcNow();
        }
        Assert.True(File.Exists(Path.Combine(repo.StateDir, "state.json")));

        await using var hub = await EdgeInfra.Lab.LabHub.StartAsync(new EdgeInfra.Lab.LabHubOptions { StateDir = repo.StateDir, FleetRepoPath = repo.Path });
        using var kube = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = hub.HubUri.ToString() });
        var after = await kube.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(SimLab.Group, SimLab.Version, "bundledeployments");

        Assert.Equal(clockBefore, hub.Clock.GetUtcNow());
        Assert.Equal(before, after.GetProperty("items").ToString());
        Assert.Equal(7UL, hub.Seed);
    }
}
