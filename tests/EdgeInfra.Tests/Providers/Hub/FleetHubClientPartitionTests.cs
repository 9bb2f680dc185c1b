using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Hub;
using static EdgeInfra.Tests.Rollout.Status.HubObjects;

namespace EdgeInfra.Tests.Providers.Hub;

/// <summary>The whole-workspace read split into concurrent lists (Clusters per ring, BundleDeployments per bundle) and
/// the restart of a list whose continue token expired.</summary>
public sealed class FleetHubClientPartitionTests : IAsyncLifetime
{
    private static readonly string[] Rings = ["canary", "early", "regional", "all"];
    private CannedFleetHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await CannedFleetHub.StartAsync();
        for (var i = 0; i < 23; i++)
        {
            var id = $"s{i:00}";
            // Rings of very different sizes, one cluster without the ring label and one in a ring the reader does not know.
            var ring = i switch { 0 => "canary", < 4 => "early", < 10 => "regional", 21 => "", 22 => "retired", _ => "all" };
            var cluster = Cluster(id, TimeSpan.FromMinutes(1));
            if (ring.Length == 0) cluster.Metadata.Labels!.Remove(StoreLabels.RolloutRing);
            else cluster.Metadata.Labels![StoreLabels.RolloutRing] = ring;
            _hub.Add(cluster);
            var bundleRing = ring is "" or "retired" ? "all" : ring;
            _hub.Add(Bd(id, bundleRing, "pos", New, "d2", "d2", "d2", ready: true));
            _hub.Add(Bd(id, bundleRing, "kiosk", New, "d2", "d2", "d2", ready: i % 2 == 0));
        }
        foreach (var ring in Rings)
        {
            _hub.Add(WithDesired(Bundle(ring, "pos", New), ring == "all" ? 13 : 3));
            _hub.Add(Bundle(ring, "kiosk", New));
            _hub.Add(GitRepo(ring, New));
        }
        // A BundleDeployment whose Bundle is gone from the Bundle list (deleted while its deployments are cleaned up).
        _hub.Add(Bd("s05", "legacy", "pos", Old, "d1", "d1", "d1", ready: true));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(500, 0)]
    public async Task ReadSnapshotByRing_AnyPageSize_ReadsExactlyTheObjectsOfOneListPerKind(int pageSize, int expiredTokens)
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5), pageSize);
        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);
        var deployments = await client.ListBundleDeploymentsAsync($"{FleetLabels.BundleNamespace}={Workspace}", CancellationToken.None);
        var firstRequest = _hub.Requests.Count;
        _hub.ExpireNextContinue = expiredTokens;

        var snapshot = await client.ReadSnapshotByRingAsync(Workspace, StoreLabels.RolloutRing, Rings, CancellationToken.None);

        Assert.Equal(Keys(clusters), Keys(snapshot.Clusters));
        Assert.Equal(Keys(deployments), Keys(snapshot.BundleDeployments));
        // Each partition keeps the hub's order: the objects of one ring (or bundle) come in the order one list has them.
        foreach (var ring in Rings)
            Assert.Equal(Keys(clusters.Where(c => c.Metadata.Label(StoreLabels.RolloutRing) == ring), sort: false),
                Keys(snapshot.Clusters.Where(c => c.Metadata.Label(StoreLabels.RolloutRing) == ring), sort: false));
        Assert.Equal(expiredTokens, client.ListRestarts);
        var requests = _hub.Requests.Skip(firstRequest).Select(Uri.UnescapeDataString).ToList();
        Assert.Contains(requests, r => r.Contains("/clusters?", StringComparison.Ordinal) && r.Contains("rollout-ring notin (all,canary,early,regional)", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Contains("/bundledeployments?", StringComparison.Ordinal) && r.Contains($"{FleetLabels.BundleName} in (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadSnapshotByRing_NoRings_ReadsTheClustersAsOneList()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));

        var snapshot = await client.ReadSnapshotByRingAsync(Workspace, StoreLabels.RolloutRing, [], CancellationToken.None);

        Assert.Equal(23, snapshot.Clusters.Count);
        Assert.Single(_hub.Requests, r => r.Contains("/clusters?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListClusters_ContinueTokenExpiresMidList_StartsOverAndReadsEachClusterOnce()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5), pageSize: 5);
        _hub.ExpireNextContinue = 1;

        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"s{i:00}"), clusters.Select(c => c.Metadata.Name));
        Assert.Equal(1, client.ListRestarts);
        Assert.Equal(2, _hub.Requests.Count(r => r.Contains("/clusters?", StringComparison.Ordinal) && !r.Contains("continue=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListClusters_ContinueTokensKeepExpiring_FailsWithTheHubsReason()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5), pageSize: 5);
        _hub.ExpireNextContinue = 1000;

        var error = await Assert.ThrowsAsync<FleetHubException>(() => client.ListClustersAsync(Workspace, null, CancellationToken.None));

        Assert.Contains("HTTP 410 The provided continue parameter is too old", error.Message);
        Assert.Equal(2, client.ListRestarts);
    }

    private static HubBundle WithDesired(HubBundle bundle, int desired)
    {
        bundle.Status = new HubBundleStatus { Summary = new HubBundleSummary { DesiredReady = desired } };
        return bundle;
    }

    private static List<string> Keys(IEnumerable<HubCluster> items, bool sort = true) => Keys(items.Select(c => c.Metadata), sort);

    private static List<string> Keys(IEnumerable<HubBundleDeployment> items) => Keys(items.Select(b => b.Metadata), true);

    private static List<string> Keys(IEnumerable<HubObjectMeta> items, bool sort)
    {
        var keys = items.Select(m => $"{m.Namespace}/{m.Name}");
        return sort ? [.. keys.Order(StringComparer.Ordinal)] : [.. keys];
    }
}
