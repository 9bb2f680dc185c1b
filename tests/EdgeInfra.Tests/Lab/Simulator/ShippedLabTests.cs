using System.Text.Json;
using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using EdgeInfra.Tests.Cli;
using k8s;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>The simulator over the fleet repo the real CLI writes for the shipped lab stack.</summary>
public sealed class ShippedLabTests
{
    [Fact]
    public async Task UpFirstRing_SimulatedHub_DeploysTheRingWithCustomizationsAndNetworkTimes()
    {
        using var project = new LabProject();
        var up = await project.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.True(up.ExitCode == 0, up.ToString());
        var settings = LabConfigReader.ReadStackFile(project.LabConfig);
        var clock = new LabClock(SimLab.Start, autoAdvance: false);
        await using var hub = await LabHub.StartAsync(new LabHubOptions
        {
            StateDir = LabHub.StateDirFor(project.Dir, "lab"), FleetRepoPath = project.FleetRepo, Clock = clock, Settings = settings,
        });
        using var kube = new Kubernetes(new KubernetesClientConfiguration { Host = hub.HubUri.ToString() });

        clock.Advance(TimeSpan.FromMinutes(45));
        var clusters = await kube.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(SimLab.Group, SimLab.Version, "fleet-default", "clusters",
            labelSelector: "rollout-ring=retail-region-1");
        var bds = (await kube.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(SimLab.Group, SimLab.Version, "bundledeployments",
            labelSelector: "fleet.cattle.io/bundle-name=pos-app-retail-region-1")).GetProperty("items").EnumerateArray()
            .ToDictionary(b => SimLab.Str(b, "metadata", "labels", "fleet.cattle.io/cluster"));

        Assert.Equal(25, clusters.GetProperty("items").GetArrayLength());
        Assert.Equal(25, bds.Count);
        Assert.All(bds.Values, bd => Assert.True(SimLab.OnAndReady(bd), bd.ToString()));
        // First-match customizations: the site override wins for store-budapest, the region one for store-prague.
        Assert.Equal("debug", SimLab.Str(bds["store-budapest"], "spec", "options", "helm", "values", "logLevel"));
        Assert.Equal("info", SimLab.Str(bds["store-prague"], "spec", "options", "helm", "values", "logLevel"));
        Assert.NotEqual(SimLab.Str(bds["store-budapest"], "spec", "deploymentID"), SimLab.Str(bds["store-prague"], "spec", "deploymentID"));
        Assert.Equal(SimLab.Str(bds["store-budapest"], "spec", "deploymentID").Split(':')[0], SimLab.Str(bds["store-prague"], "spec", "deploymentID").Split(':')[0]);

        var applies = hub.Stats.Applies.Where(a => a.Bundle == "pos-app-retail-region-1" && a.Outcome == "ready").ToDictionary(a => a.Cluster);
        // 180 MB over an 8 Mbit/s satellite link takes minutes; over 500 Mbit/s fiber, seconds.
        Assert.True(applies["store-budapest"].Duration > TimeSpan.FromMinutes(3), $"satellite: {applies["store-budapest"].Duration}");
        Assert.True(applies["store-prague"].Duration < TimeSpan.FromMinutes(2), $"fiber: {applies["store-prague"].Duration}");
        Assert.All(applies.Values, a => Assert.Equal(180_000_000, a.PulledBytes));
    }
}
