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
}
