using EdgeInfra.Components.Sharding;
using EdgeInfra.Lab.Config;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>The simulated hub's controller shards: a GitRepo's shard-ref decides which controller (if any) delivers it,
/// and each controller spends its own reconcile time.</summary>
public sealed class ShardedHubTests
{
    private const string Strategy = "  maxUnavailable: 100%\n  autoPartitionSize: 100%";

    private static Dictionary<string, string?> Fleet(string shardRef, int clusters = 4)
    {
        var files = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < clusters; i++)
        {
            var (path, content) = SimFleetFiles.Cluster($"store-{i:D2}", SimFleetFiles.Labels("canary"));
            files[path] = content;
        }
        var (groupPath, group) = SimFleetFiles.ClusterGroup("canary");
        files[groupPath] = group;
        var (repoPath, repo) = SimFleetFiles.GitRepo("canary", "pos");
        files[repoPath] = repo.Replace("    rollout-ring: canary\nspec:", $"    rollout-ring: canary\n    {FleetSharding.ShardRefLabel}: {shardRef}\nspec:", StringComparison.Ordinal);
        var (bundlePath, bundle) = SimFleetFiles.HelmBundle("pos", "canary", "1.0.0", Strategy);
        files[bundlePath] = bundle;
        return files;
    }

    [Fact]
    public async Task GitRepo_ShardTheHubDoesNotRun_NothingDeployed()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("ghost"));
        await using var lab = await SimLab.StartAsync(repo, controllerShards: ["shard0"]);
        lab.Advance(TimeSpan.FromMinutes(10));

        var bundles = await lab.ListAsync("bundles");
        Assert.Empty(bundles.GetProperty("items").EnumerateArray());
        Assert.Empty((await lab.ListAsync("bundledeployments", ns: null)).GetProperty("items").EnumerateArray());
        Assert.Contains(lab.Hub.Events, e => e.Kind == "gitrepo-unreconciled");
    }

    [Fact]
    public async Task GitRepo_ShardTheHubRuns_BundleAndDeploymentsCarryTheShardAndAreReady()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", Fleet("shard0"));
        await using var lab = await SimLab.StartAsync(repo, controllerShards: ["shard0"]);
        lab.Advance(TimeSpan.FromMinutes(10));

        var bundle = Assert.Single((await lab.ListAsync("bundles")).GetProperty("items").EnumerateArray());
        Assert.Equal("shard0", SimLab.Str(bundle, "metadata", "labels", FleetSharding.ShardRefLabel));
        var deployments = await lab.DeploymentsAsync("pos-canary");
        Assert.Equal(4, deployments.Count);
        Assert.All(deployments.Values, bd =>
        {
            Assert.Equal("shard0", SimLab.Str(bd, "metadata", "labels", FleetSharding.ShardRefLabel));
            Assert.Equal("True", SimLab.Str(bd, "status", "ready"));
        });
    }

    /// <summary>With a controller throughput, a reconcile costs controller time in proportion to its targets: one
    /// controller over many clusters is still rolling out when the same clusters split over two shards are done.</summary>
    [Fact]
    public async Task Rollout_BoundedThroughput_TwoShardsFinishBeforeOneController()
    {
        var settings = LabSettings.Default with { Agents = LabSettings.Default.Agents with { ControllerThroughput = 0.2 } };
        async Task<int> ReadyAfter(TimeSpan time, bool sharded)
        {
            using var repo = new TestFleetRepo();
            var files = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < 40; i++)
            {
                var shard = i % 2 == 0 ? "shard0" : "shard1";
                var labels = SimFleetFiles.Labels("canary");
                if (sharded) labels[FleetSharding.StoreShardLabel] = shard;
                var (path, content) = SimFleetFiles.Cluster($"store-{i:D2}", labels);
                files[path] = content;
            }
            foreach (var shard in sharded ? new string?[] { "shard0", "shard1" } : [null])
            {
                var name = shard is null ? "canary" : $"canary-{shard}";
                var (groupPath, group) = SimFleetFiles.ClusterGroup("canary");
                var (repoPath, gitRepo) = SimFleetFiles.GitRepo("canary", "pos");
                if (shard is not null)
                {
                    group = group.Replace("name: canary", $"name: {name}", StringComparison.Ordinal)
                        .Replace("      rollout-ring: canary\n", $"      rollout-ring: canary\n      {FleetSharding.StoreShardLabel}: {shard}\n", StringComparison.Ordinal);
                    gitRepo = gitRepo.Replace("name: canary", $"name: {name}", StringComparison.Ordinal)
                        .Replace("clusterGroup: canary", $"clusterGroup: {name}", StringComparison.Ordinal)
                        .Replace("apps/pos/canary", $"apps/pos/canary/{shard}", StringComparison.Ordinal)
                        .Replace("    rollout-ring: canary\nspec:", $"    rollout-ring: canary\n    {FleetSharding.ShardRefLabel}: {shard}\nspec:", StringComparison.Ordinal);
                    groupPath = $"hub/clustergroups/{name}.yaml";
                    repoPath = $"hub/gitrepos/{name}.yaml";
                }
                files[groupPath] = group;
                files[repoPath] = gitRepo;
                var (bundlePath, bundle) = SimFleetFiles.HelmBundle("pos", "canary", "1.0.0", Strategy);
                if (shard is not null) (bundlePath, bundle) = ($"apps/pos/canary/{shard}/fleet.yaml", bundle.Replace("name: pos-canary", $"name: pos-{name}", StringComparison.Ordinal));
                files[bundlePath] = bundle;
            }
            repo.Commit("fleet", files);
            await using var lab = await SimLab.StartAsync(repo, settings, controllerShards: sharded ? ["shard0", "shard1"] : []);
            lab.Advance(time);
            var deployments = (await lab.ListAsync("bundledeployments", ns: null)).GetProperty("items").EnumerateArray();
            return deployments.Count(bd => SimLab.Str(bd, "status", "ready") == "True");
        }

        var at = TimeSpan.FromMinutes(3);
        var single = await ReadyAfter(at, sharded: false);
        var sharded = await ReadyAfter(at, sharded: true);
        Assert.True(sharded > single, $"ready after {at}: {sharded} on two shards, {single} on one controller");
        Assert.Equal(40, await ReadyAfter(TimeSpan.FromMinutes(30), sharded: true));
    }
}
