using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab.Hub;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Tests.Lab.Simulator;
using static EdgeInfra.Tests.Rollout.Status.HubObjects;

namespace EdgeInfra.Tests.Rollout.Status;

/// <summary>The classifier keeps each store's answer while the objects it was made from stand (a hub client hands out
/// the objects it read before while their resource versions do): over a lab rollout, its answers equal those of a
/// classifier given a fresh copy of every object at every reading, which can reuse nothing.</summary>
public sealed class StoreClassifierReuseTests : IAsyncLifetime
{
    private readonly TestFleetRepo _repo = new();
    private SimLab _lab = null!;

    public async Task InitializeAsync() =>
        _lab = await SimLab.StartMidRolloutAsync(_repo, SimFleetFiles.Cluster("store-05", SimFleetFiles.Labels("r1"), paused: true));

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Classify_ObjectsKeptAcrossReadings_AnswersAsFreshObjectsDo()
    {
        // The rollout's eight stores, a store not on the hub yet and one of a ring not opened.
        var stores = Enumerable.Range(1, 8).Select(i => Store($"store-{i:00}", "r1")).Append(Store("store-99", "r1")).Append(Store("store-50", "r2"));
        var model = new FleetModel("test", [.. stores], [Ring("r1", 0), Ring("r2", 1)], [], [], [],
            new FleetSettings(SimFleetFiles.Workspace, "https://git.example.com/fleet.git", "main", "15s", "v1.30.4+k3s1"));
        var snapshots = new LabHubSnapshots(_lab.Hub);
        var reusing = new StoreClassifier(FleetStatusPolicy.Default);
        var fresh = new StoreClassifier(FleetStatusPolicy.Default);
        HubSnapshot? previous = null;
        var reused = 0;
        var seen = new HashSet<StoreState>();

        for (var step = 0; step < 90; step++)
        {
            var snapshot = await snapshots.ReadSnapshotAsync(SimFleetFiles.Workspace, CancellationToken.None);
            var revisions = new Dictionary<string, string> { ["r1"] = snapshot.GitRepos.Single().Status!.Commit! };
            var now = _lab.Clock.GetUtcNow();

            var kept = reusing.Classify(model, revisions, snapshot, now);
            var expected = fresh.Classify(model, revisions, Copy(snapshot), now);

            Assert.Equal(expected.OrderBy(p => p.Key), kept.OrderBy(p => p.Key));
            if (previous is not null) reused += snapshot.BundleDeployments.Count(bd => previous.BundleDeployments.Contains(bd));
            foreach (var status in kept.Values) seen.Add(status.State);
            previous = snapshot;
            _lab.Advance(TimeSpan.FromSeconds(20));
        }

        // The comparison is only as good as what it saw: stores moving through the rollout, objects standing between reads.
        Assert.Superset(new HashSet<StoreState> { StoreState.Ready, StoreState.Pending, StoreState.NotSelected }, seen);
        Assert.True(seen.Count >= 4, string.Join(", ", seen));
        Assert.True(reused > 100, $"{reused} BundleDeployments handed out again");
    }

    private static HubSnapshot Copy(HubSnapshot s) => new(
        Copy(s.Clusters, HubJsonContext.Default.HubListHubCluster), Copy(s.GitRepos, HubJsonContext.Default.HubListHubGitRepo),
        Copy(s.Bundles, HubJsonContext.Default.HubListHubBundle), Copy(s.BundleDeployments, HubJsonContext.Default.HubListHubBundleDeployment));

    private static List<T> Copy<T>(IReadOnlyList<T> items, JsonTypeInfo<HubList<T>> type) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(new HubList<T> { Items = [.. items] }, type), type)!.Items!;
}
