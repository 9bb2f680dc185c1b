using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using static EdgeInfra.Tests.Rollout.Status.HubObjects;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>The status reader on the simulated hub, read over HTTP as <c>status</c> and the walker read it.</summary>
public sealed class LabStatusTests
{
    // Every lab rollout showed all of a ring's stores offline on the first check after the ring was applied: their
    // Clusters had just been created and the agents had not registered yet. They are registering, not offline.
    [Fact]
    public async Task Read_RingJustAppliedAgentsStillRegistering_NoStoreIsOffline()
    {
        using var repo = new TestFleetRepo();
        var commit = repo.Commit("fleet", SimulatorRolloutTests.Fleet("1.0.0", SimulatorRolloutTests.PartitionedStrategy));
        await using var lab = await SimLab.StartAsync(repo);
        using var client = FleetHubClient.ForUrl(lab.Hub.HubUri, TimeSpan.FromSeconds(10));
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);
        Store[] stores = [.. Enumerable.Range(1, 8).Select(i => Store($"store-{i:00}", "r1"))];
        var model = new FleetModel("lab", [.. stores], [Ring("r1", 0, "1")], [], [], [],
            new FleetSettings(SimFleetFiles.Workspace, "https://git.example.com/fleet.git", "main", "15s", "v1.30.4+k3s1"));
        var revisions = new Dictionary<string, string> { ["r1"] = commit };

        lab.Advance(TimeSpan.FromSeconds(1));
        var early = await reader.ReadAsync(model, revisions, lab.Clock.GetUtcNow(), CancellationToken.None);
        lab.Advance(TimeSpan.FromMinutes(20));
        var settled = await reader.ReadAsync(model, revisions, lab.Clock.GetUtcNow(), CancellationToken.None);

        Assert.True(early.Reachable, early.Error);
        Assert.DoesNotContain(early.Stores.Values, s => s.State == StoreState.Offline);
        Assert.Contains(early.Stores.Values, s => s.Reason?.StartsWith("waiting for the agent's first check-in", StringComparison.Ordinal) == true);
        Assert.All(settled.Stores.Values, s => Assert.Equal(StoreState.Ready, s.State));
    }

    // A rollout's first rings are read without the rest of the fleet: the stores of the open rings come out as a whole
    // read classifies them, the others not-selected, for a fraction of the bytes.
    [Fact]
    public async Task Read_OnlySomeRingsOpen_ListsOnlyTheirObjectsAndClassifiesThemAsAWholeRead()
    {
        using var repo = new TestFleetRepo();
        var files = new Dictionary<string, string?>();
        for (var i = 1; i <= 8; i++)
        {
            var labels = SimFleetFiles.Labels(i <= 2 ? "r1" : "r2");
            labels["canary"] = i is 1 or 3 ? "true" : "false";
            var (path, content) = SimFleetFiles.Cluster($"store-{i:00}", labels);
            files[path] = content;
        }
        foreach (var ring in new[] { "r1", "r2" })
            foreach (var (path, content) in new[] { SimFleetFiles.ClusterGroup(ring), SimFleetFiles.GitRepo(ring, "pos-app"),
                         SimFleetFiles.HelmBundle("pos-app", ring, "1.0.0", SimulatorRolloutTests.PartitionedStrategy) })
                files[path] = content;
        var commit = repo.Commit("fleet", files);
        await using var lab = await SimLab.StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(20));
        Store[] stores = [.. Enumerable.Range(1, 8).Select(i => Store($"store-{i:00}", i <= 2 ? "r1" : "r2"))];
        var model = new FleetModel("lab", [.. stores], [Ring("r1", 0, "1"), Ring("r2", 1, "1")], [], [], [],
            new FleetSettings(SimFleetFiles.Workspace, "https://git.example.com/fleet.git", "main", "15s", "v1.30.4+k3s1"));
        using var scopedClient = FleetHubClient.ForUrl(lab.Hub.HubUri, TimeSpan.FromSeconds(10));
        using var wholeClient = FleetHubClient.ForUrl(lab.Hub.HubUri, TimeSpan.FromSeconds(10));
        var now = lab.Clock.GetUtcNow();

        var scoped = await new FleetStatusReader(scopedClient, FleetStatusPolicy.Default)
            .ReadAsync(model, new Dictionary<string, string> { ["r1"] = commit }, now, CancellationToken.None);
        var whole = await new FleetStatusReader(wholeClient, FleetStatusPolicy.Default)
            .ReadAsync(model, new Dictionary<string, string> { ["r1"] = commit, ["r2"] = commit }, now, CancellationToken.None);

        Assert.True(scoped.Reachable, scoped.Error);
        Assert.True(scoped.Stores["store-01"].State == StoreState.Ready, $"{scoped.Stores["store-01"]} / whole read: {whole.Stores["store-01"]}");
        foreach (var id in new[] { "store-01", "store-02" }) Assert.Equal(whole.Stores[id], scoped.Stores[id]);
        Assert.All(stores.Skip(2), s => Assert.Equal(StoreState.NotSelected, scoped.Stores[s.Id].State));
        Assert.True(scopedClient.Timings.Bytes * 2 < wholeClient.Timings.Bytes,
            $"read {scopedClient.Timings.Bytes} bytes for one ring of two, {wholeClient.Timings.Bytes} for both");
    }
}
