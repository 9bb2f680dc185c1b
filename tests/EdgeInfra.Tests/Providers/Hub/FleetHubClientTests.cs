using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Tests.Components;
using static EdgeInfra.Tests.Rollout.Status.HubObjects;

namespace EdgeInfra.Tests.Providers.Hub;

public sealed class FleetHubClientTests : IAsyncLifetime
{
    private CannedFleetHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await CannedFleetHub.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            var id = $"s{i}";
            _hub.Add(Cluster(id, TimeSpan.FromMinutes(2)));
            _hub.Add(Bd(id, "canary", "pos", New, "d2", "d2", i == 3 ? "d1" : "d2", ready: true));
        }
        _hub.Add(Bundle("canary", "pos", New));
        _hub.Add(GitRepo("canary", New));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ListClusters_SmallPages_FollowsContinueToTheEnd()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5), pageSize: 3);

        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);

        Assert.Equal(["s0", "s1", "s2", "s3", "s4", "s5", "s6"], clusters.Select(c => c.Metadata.Name));
        Assert.Equal(3, _hub.Requests.Count(r => r.Contains("/namespaces/fleet-default/clusters", StringComparison.Ordinal)));
        Assert.Contains(_hub.Requests, r => r.Contains("continue=6", StringComparison.Ordinal));
        Assert.Equal(Now - TimeSpan.FromMinutes(2), ParseTime(clusters[0].Status!.Agent!.LastSeen));
    }

    [Fact]
    public async Task ReadSnapshot_AllKinds_ReadsTypedFieldsAndFiltersDeploymentsByWorkspace()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));

        var snapshot = await client.ReadSnapshotAsync(Workspace, CancellationToken.None);

        Assert.Equal(7, snapshot.Clusters.Count);
        Assert.Equal(7, snapshot.BundleDeployments.Count);
        Assert.Equal(New, snapshot.GitRepos.Single().Status!.Commit);
        var bd = snapshot.BundleDeployments.Single(b => b.Metadata.Label(FleetLabels.Cluster) == "s3");
        Assert.Equal(("d2", "d2", "d1", true), (bd.Spec!.StagedDeploymentId, bd.Spec.DeploymentId, bd.Status!.AppliedDeploymentId, bd.Status.Ready == true));
        Assert.Contains(_hub.Requests, r => r.StartsWith("GET /apis/fleet.cattle.io/v1alpha1/bundledeployments?", StringComparison.Ordinal)
            && r.Contains("labelSelector=fleet.cattle.io%2Fbundle-namespace%3Dfleet-default", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusReader_ThroughTheHubApi_ClassifiesEveryStore()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);
        var model = Model([.. Enumerable.Range(0, 7).Select(i => Store($"s{i}", "canary"))]);

        var status = await reader.ReadAsync(model, new Dictionary<string, string> { ["canary"] = New }, Now, CancellationToken.None);

        Assert.True(status.Reachable, status.Error);
        Assert.Equal(StoreState.Applying, status.Stores["s3"].State);
        Assert.All(status.Stores.Where(s => s.Key != "s3"), s => Assert.Equal(StoreState.Ready, s.Value.State));
    }

    [Fact]
    public async Task ReadSnapshot_TransientFailures_AreRetried()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));
        _hub.FailNext = 2;

        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);

        Assert.Equal(7, clusters.Count);
    }

    [Theory]
    [InlineData(403, "HTTP 403 injected failure")]
    [InlineData(503, "HTTP 503 injected failure")]
    public async Task StatusReader_HubAnswersAnError_GivesTheReasonNotAnException(int code, string expected)
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));
        _hub.FailAlways = code;
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);

        var status = await reader.ReadAsync(Model(Store("s0", "canary")), new Dictionary<string, string>(), Now, CancellationToken.None);

        Assert.False(status.Reachable);
        Assert.Contains(expected, status.Error);
        Assert.Empty(status.Stores);
    }

    [Fact]
    public async Task StatusReader_HubUnreachable_GivesTheReason()
    {
        var url = _hub.Url;
        await _hub.DisposeAsync();
        _hub = await CannedFleetHub.StartAsync();
        using var client = FleetHubClient.ForUrl(url, TimeSpan.FromSeconds(2));
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);

        var status = await reader.ReadAsync(Model(Store("s0", "canary")), new Dictionary<string, string>(), Now, CancellationToken.None);

        Assert.False(status.Reachable);
        Assert.Contains("unreachable", status.Error);
        Assert.Contains(url.GetLeftPart(UriPartial.Authority), status.Error);
    }

    [Fact]
    public async Task StatusReader_HubTooSlow_TimesOutWithTheReason()
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromMilliseconds(300));
        _hub.Delay = TimeSpan.FromSeconds(3);
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);

        var status = await reader.ReadAsync(Model(Store("s0", "canary")), new Dictionary<string, string>(), Now, CancellationToken.None);

        Assert.False(status.Reachable);
        Assert.Contains("timed out", status.Error);
    }

    [Fact]
    public async Task UnknownPath_Answers404WithAKubernetesStatus()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(_hub.Url, "/apis/fleet.cattle.io/v1alpha1/namespaces/x/nothings"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void CannedObjects_MatchFleetCrds()
    {
        var problems = _hub.All.SelectMany(o => SchemaValidator.ValidateResource(o.ToJsonString())
            .Select(p => $"{o["kind"]} {o["metadata"]?["name"]}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
}
