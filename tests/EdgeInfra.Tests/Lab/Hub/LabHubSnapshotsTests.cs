using System.Text.Json;
using EdgeInfra.Lab.Hub;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Tests.Lab.Simulator;

namespace EdgeInfra.Tests.Lab.Hub;

/// <summary>The lab's in-process snapshots (the rehearsal's status reads) against the hub client reading the same lab over
/// HTTP: every object, every field the client keeps, in the same order, mid-rollout.</summary>
public sealed class LabHubSnapshotsTests : IAsyncLifetime
{
    private const string Workspace = SimFleetFiles.Workspace;
    private readonly TestFleetRepo _repo = new();
    private SimLab _lab = null!;

    public async Task InitializeAsync() =>
        _lab = await SimLab.StartMidRolloutAsync(_repo,
            SimFleetFiles.Cluster("store-05", SimFleetFiles.Labels("r1"), paused: true),
            // A store of a ring with no GitRepo: outside an r1-only read.
            SimFleetFiles.Cluster("store-09", SimFleetFiles.Labels("r2")));

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _repo.Dispose();
    }

    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("rollout-ring in (r1)", new[] { "r1" })]
    [InlineData("rollout-ring in (r2)", new[] { "r2" })]
    public async Task ReadSnapshot_SameLab_EqualsTheHttpClientsSnapshot(string? clusterSelector, string[] gitRepos)
    {
        using var client = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10));
        var snapshots = new LabHubSnapshots(_lab.Hub);
        var repos = gitRepos.ToHashSet(StringComparer.Ordinal);

        var overHttp = clusterSelector is null
            ? await client.ReadSnapshotAsync(Workspace, CancellationToken.None)
            : await client.ReadSnapshotAsync(Workspace, clusterSelector, repos, CancellationToken.None);
        var inProcess = clusterSelector is null
            ? await snapshots.ReadSnapshotAsync(Workspace, CancellationToken.None)
            : await snapshots.ReadSnapshotAsync(Workspace, clusterSelector, repos, CancellationToken.None);

        Assert.NotEmpty(overHttp.Clusters);
        Assert.Equal(Json(overHttp.Clusters, HubJsonContext.Default.HubListHubCluster), Json(inProcess.Clusters, HubJsonContext.Default.HubListHubCluster));
        Assert.Equal(Json(overHttp.GitRepos, HubJsonContext.Default.HubListHubGitRepo), Json(inProcess.GitRepos, HubJsonContext.Default.HubListHubGitRepo));
        Assert.Equal(Json(overHttp.Bundles, HubJsonContext.Default.HubListHubBundle), Json(inProcess.Bundles, HubJsonContext.Default.HubListHubBundle));
        Assert.Equal(Json(overHttp.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment),
            Json(inProcess.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment));
    }

    [Fact]
    public async Task ReadSnapshot_AfterTheLabMoved_EqualsTheHttpClientsSnapshotAgain()
    {
        using var client = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10));
        var snapshots = new LabHubSnapshots(_lab.Hub);
        var first = await snapshots.ReadSnapshotAsync(Workspace, CancellationToken.None);

        // Objects the first read made are kept by resource version and last check-in: those that moved must be made again.
        _lab.Advance(TimeSpan.FromMinutes(3));
        var overHttp = await client.ReadSnapshotAsync(Workspace, CancellationToken.None);
        var inProcess = await snapshots.ReadSnapshotAsync(Workspace, CancellationToken.None);

        Assert.NotEqual(Json(first.Clusters, HubJsonContext.Default.HubListHubCluster), Json(inProcess.Clusters, HubJsonContext.Default.HubListHubCluster));
        Assert.NotEqual(Json(first.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment),
            Json(inProcess.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment));
        Assert.Equal(Json(overHttp.Clusters, HubJsonContext.Default.HubListHubCluster), Json(inProcess.Clusters, HubJsonContext.Default.HubListHubCluster));
        Assert.Equal(Json(overHttp.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment),
            Json(inProcess.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment));
    }

    [Fact]
    public async Task ReadSnapshot_AfterAClusterMovedRing_EqualsTheHttpClientsSnapshotAgain()
    {
        using var client = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10));
        var snapshots = new LabHubSnapshots(_lab.Hub);
        var r2 = new HashSet<string>(["r2"], StringComparer.Ordinal);
        var before = await snapshots.ReadSnapshotAsync(Workspace, "rollout-ring in (r2)", r2, CancellationToken.None);

        // What a selector matched is kept while the set of Clusters stands: relabelling one must be seen, also when no
        // BundleDeployment moves with it (neither r2 nor r3 has a GitRepo).
        var (path, content) = SimFleetFiles.Cluster("store-09", SimFleetFiles.Labels("r3"));
        _repo.Commit("store-09 moves to r3", new Dictionary<string, string?> { [path] = content });
        _lab.Advance(TimeSpan.FromMinutes(1));
        var overHttp = await client.ReadSnapshotAsync(Workspace, "rollout-ring in (r2)", r2, CancellationToken.None);
        var inProcess = await snapshots.ReadSnapshotAsync(Workspace, "rollout-ring in (r2)", r2, CancellationToken.None);

        Assert.Contains(before.Clusters, c => c.Metadata.Name == "store-09");
        Assert.DoesNotContain(inProcess.Clusters, c => c.Metadata.Name == "store-09");
        Assert.Equal(Json(overHttp.Clusters, HubJsonContext.Default.HubListHubCluster), Json(inProcess.Clusters, HubJsonContext.Default.HubListHubCluster));
    }

    [Fact]
    public async Task ReadSnapshot_MidRollout_ShowsEveryKindOfDeployment()
    {
        var snapshot = await new LabHubSnapshots(_lab.Hub).ReadSnapshotAsync(Workspace, CancellationToken.None);

        // The comparison above is only as good as the variety it sees.
        Assert.Contains(snapshot.BundleDeployments, d => d.Status?.Ready == true);
        Assert.Contains(snapshot.BundleDeployments, d => d.Status?.Ready != true);
        Assert.Contains(snapshot.BundleDeployments, d => d.Spec?.DeploymentId != d.Spec?.StagedDeploymentId || d.Status?.AppliedDeploymentId != d.Spec?.DeploymentId);
        Assert.Contains(snapshot.Clusters, c => c.Spec?.Paused == true);
        Assert.Contains(snapshot.Bundles, b => b.Status?.Summary is not null);
    }

    private static string Json<T>(IReadOnlyList<T> items, System.Text.Json.Serialization.Metadata.JsonTypeInfo<HubList<T>> type) =>
        JsonSerializer.Serialize(new HubList<T> { Items = [.. items] }, type);
}
