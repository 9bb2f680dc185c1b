using System.Text.Json.Nodes;
using EdgeInfra.Lab;

namespace EdgeInfra.Tests.Cli;

public sealed class StatusCommandTests : IDisposable
{
    private readonly LabProject _project = new();

    [Fact]
    public async Task Status_LabAfterFirstRingAndAnHour_CountsPerRingAndDetailsPerStore()
    {
        var up = await _project.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.True(up.ExitCode == 0, up.ToString());
        await AdvanceLabAsync(TimeSpan.FromHours(1));

        var run = await _project.Run("status", "--stack", "lab", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonNode.Parse(run.Out)!;
        var rings = json["rings"]!.AsArray().ToDictionary(r => r!["ring"]!.GetValue<string>());
        Assert.Equal(25, rings["retail-region-1"]!["stores"]!.GetValue<int>());
        Assert.True(rings["retail-region-1"]!["states"]!["ready"]?.GetValue<int>() > 0, run.Out);
        Assert.Null(rings["retail-region-1"]!["states"]!["not-selected"]);
        Assert.Equal(125, rings["retail-region-2"]!["states"]!["not-selected"]!.GetValue<int>());
        var revision = rings["retail-region-1"]!["revision"]!.GetValue<string>();
        var ready = json["stores"]!.AsArray().First(s => s!["state"]!.GetValue<string>() == "ready")!;
        Assert.Equal(revision, ready["appliedRevision"]!.GetValue<string>());
        Assert.NotNull(ready["lastSeen"]);
    }

    [Fact]
    public async Task Status_OneStoreAndOneRing_ShowsTheirTables()
    {
        var up = await _project.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.True(up.ExitCode == 0, up.ToString());
        await AdvanceLabAsync(TimeSpan.FromHours(1));

        var ring = await _project.Run("status", "--stack", "lab", "--ring", "retail-region-1");
        var store = await _project.Run("status", "--stack", "lab", "--store", "store-budapest");

        Assert.True(ring.ExitCode == 0, ring.ToString());
        Assert.Contains("Stores of retail-region-1", ring.Out);
        Assert.DoesNotContain("retail-region-2", ring.Out);
        Assert.True(store.ExitCode == 0, store.ToString());
        Assert.Contains("store-budapest", store.Out);
    }

    [Fact]
    public async Task Status_UnknownStore_IsBadInput()
    {
        var run = await _project.Run("status", "--stack", "lab", "--store", "store-nowhere");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown store 'store-nowhere'", run.Error);
    }

    [Fact]
    public async Task Status_ProdHubUnreachable_FailsWithTheReason()
    {
        var kubeconfig = Path.Combine(_project.Dir, "hub.kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: hub, cluster: {server: "http://127.0.0.1:9"}}]
            contexts: [{name: hub, context: {cluster: hub, user: hub}}]
            current-context: hub
            users: [{name: hub, user: {}}]
            """);
        var set = await _project.Run("config", "set", "--stack", "prod", "--path", "hub.kubeconfig", "hub.kubeconfig");
        Assert.True(set.ExitCode == 0, set.ToString());

        var run = await _project.Run("status", "--stack", "prod");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("cannot read the Fleet hub", run.Error);
        Assert.Contains("127.0.0.1:9", run.Error);
    }

    /// <summary>Runs the lab forward as the rollout host would (its own clock), persisting the state status reads.</summary>
    private async Task AdvanceLabAsync(TimeSpan by)
    {
        var clock = new LabClock(LabHubOptions.DefaultStartTime, autoAdvance: false);
        await using var hub = await LabHub.StartAsync(new LabHubOptions
        {
            StateDir = LabHub.StateDirFor(_project.Dir, "lab"),
            FleetRepoPath = _project.FleetRepo,
            Clock = clock,
            Serve = false,
        });
        for (var t = TimeSpan.Zero; t < by; t += TimeSpan.FromMinutes(1))
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            hub.Sync();
        }
    }

    public void Dispose() => _project.Dispose();
}
