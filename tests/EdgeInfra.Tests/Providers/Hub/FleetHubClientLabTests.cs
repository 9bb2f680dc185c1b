using System.Text.Json;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Tests.Lab.Simulator;

namespace EdgeInfra.Tests.Providers.Hub;

/// <summary>The hub client against the lab simulator's HTTP API (Fleet's Kubernetes REST subset with opaque continue
/// tokens), field by field against the same objects read unpaged as raw JSON through KubernetesClient.</summary>
public sealed class FleetHubClientLabTests : IAsyncLifetime
{
    private const string Ring = "r1";
    private const string Workspace = SimFleetFiles.Workspace;
    private readonly TestFleetRepo _repo = new();
    private SimLab _lab = null!;

    public async Task InitializeAsync()
    {
        var labels = SimFleetFiles.Labels(Ring);
        labels["canary"] = "false";
        _lab = await SimLab.StartMidRolloutAsync(_repo, SimFleetFiles.Cluster("store-05", labels, paused: true));
    }

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task ReadSnapshot_SmallPages_ReadsEveryObjectAsTheHubServesIt()
    {
        using var client = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10), pageSize: 3);

        var snapshot = await client.ReadSnapshotAsync(Workspace, CancellationToken.None);

        var clusters = Items(await _lab.ListAsync("clusters"));
        Assert.Equal(8, clusters.Count);
        Assert.Equal(clusters.Select(c => (
                Name(c),
                Field(c, "status", "agent", "lastSeen"),
                Field(c, "spec", "paused") == "true",
                Field(c, "status", "namespace"))),
            snapshot.Clusters.Select(c => (c.Metadata.Name, c.Status?.Agent?.LastSeen ?? "", c.Spec?.Paused == true, c.Status?.Namespace ?? "")));

        var deployments = Items(await _lab.ListAsync("bundledeployments", ns: null, labelSelector: $"{FleetLabels.BundleNamespace}={Workspace}"));
        Assert.True(deployments.Count > 3, $"{deployments.Count} bundle deployments: too few to page");
        Assert.Equal(deployments.Select(d => (
                $"{Field(d, "metadata", "namespace")}/{Name(d)}",
                Labels(d),
                Field(d, "spec", "stagedDeploymentID"),
                Field(d, "spec", "deploymentID"),
                Field(d, "status", "appliedDeploymentID"),
                Field(d, "status", "ready"),
                Field(d, "status", "nonModified"),
                Conditions(d))),
            snapshot.BundleDeployments.Select(d => (
                $"{d.Metadata.Namespace}/{d.Metadata.Name}",
                Sorted(d.Metadata.Labels),
                d.Spec?.StagedDeploymentId ?? "",
                d.Spec?.DeploymentId ?? "",
                d.Status?.AppliedDeploymentId ?? "",
                Bool(d.Status?.Ready),
                Bool(d.Status?.NonModified),
                string.Join(";", d.Status?.Conditions?.Select(c => $"{c.Type}={c.Status}:{c.Message}:{c.LastTransitionTime}") ?? []))));
        // Mid-rollout, so the IDs compared above are not all the same value.
        Assert.Contains(snapshot.BundleDeployments, d => d.Spec?.DeploymentId != d.Spec?.StagedDeploymentId || d.Status?.AppliedDeploymentId != d.Spec?.DeploymentId);

        Assert.Equal(Items(await _lab.ListAsync("bundles")).Select(b => (Name(b), Labels(b))),
            snapshot.Bundles.Select(b => (b.Metadata.Name, Sorted(b.Metadata.Labels))));
        Assert.Equal(Items(await _lab.ListAsync("gitrepos")).Select(r => (Name(r), Field(r, "status", "commit"))),
            snapshot.GitRepos.Select(r => (r.Metadata.Name, r.Status?.Commit ?? "")));
    }

    [Fact]
    public async Task ReadSnapshot_PausedCluster_CarriesSpecPaused()
    {
        using var client = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10));

        var snapshot = await client.ReadSnapshotAsync(Workspace, CancellationToken.None);

        Assert.Equal(["store-05"], snapshot.Clusters.Where(c => c.Spec?.Paused == true).Select(c => c.Metadata.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task ListBundleDeployments_PageSize_FollowsContinueTokensToEveryObjectOnce(int pageSize)
    {
        using var client = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10), pageSize);

        var deployments = await client.ListBundleDeploymentsAsync($"{FleetLabels.BundleNamespace}={Workspace}", CancellationToken.None);

        var expected = Items(await _lab.ListAsync("bundledeployments", ns: null)).Select(d => $"{Field(d, "metadata", "namespace")}/{Name(d)}");
        Assert.Equal(expected, deployments.Select(d => $"{d.Metadata.Namespace}/{d.Metadata.Name}"));
        Assert.Equal(Math.Max(1, (expected.Count() + pageSize - 1) / pageSize), client.Timings.Pages);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(600)]
    public async Task ReadSnapshot_ClientReadBefore_ReadsWhatAFreshClientReads(int secondsLater)
    {
        using var longLived = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10), pageSize: 3);
        // A client's first read keeps nothing (a one-shot status reads once); from its second on, it keeps what it read.
        var first = await longLived.ReadSnapshotAsync(Workspace, CancellationToken.None);
        var before = await longLived.ReadSnapshotAsync(Workspace, CancellationToken.None);
        Assert.Equal(0, longLived.ObjectsReused.Reused);
        Assert.DoesNotContain(first.Clusters, c => before.Clusters.Any(b => ReferenceEquals(b, c)));

        _lab.Advance(TimeSpan.FromSeconds(secondsLater));
        var again = await longLived.ReadSnapshotAsync(Workspace, CancellationToken.None);
        using var fresh = FleetHubClient.ForUrl(_lab.Hub.HubUri, TimeSpan.FromSeconds(10), pageSize: 3);
        var expected = await fresh.ReadSnapshotAsync(Workspace, CancellationToken.None);

        Assert.Equal(expected.Clusters.Select(Cluster), again.Clusters.Select(Cluster));
        Assert.Equal(expected.BundleDeployments.Select(Deployment), again.BundleDeployments.Select(Deployment));
        // What did not move is handed out again (not parsed), what moved is read anew (the agents check in, the rollout goes on).
        var reused = again.Clusters.Count(c => before.Clusters.Any(b => ReferenceEquals(b, c))) +
            again.BundleDeployments.Count(d => before.BundleDeployments.Any(b => ReferenceEquals(b, d)));
        Assert.Equal(reused, longLived.ObjectsReused.Reused);
        if (secondsLater == 0) Assert.Equal(again.Clusters.Count + again.BundleDeployments.Count, reused);
        else Assert.True(reused < again.Clusters.Count + again.BundleDeployments.Count, $"{reused} objects reused {secondsLater} s later");
    }

    private static string Cluster(HubCluster c) =>
        $"{c.Metadata.Namespace}/{c.Metadata.Name} {c.Metadata.ResourceVersion} {Sorted(c.Metadata.Labels)} {c.Spec?.Paused} {c.Status?.Agent?.LastSeen}";

    private static string Deployment(HubBundleDeployment d) =>
        $"{d.Metadata.Namespace}/{d.Metadata.Name} {d.Metadata.ResourceVersion} {Sorted(d.Metadata.Labels)} {d.Spec?.StagedDeploymentId} " +
        $"{d.Spec?.DeploymentId} {d.Status?.AppliedDeploymentId} {d.Status?.Ready} {d.Status?.NonModified} " +
        string.Join(";", d.Status?.Conditions?.Select(c => $"{c.Type}={c.Status}:{c.Message}") ?? []);

    private static List<JsonElement> Items(JsonElement list) => [.. list.GetProperty("items").EnumerateArray()];

    private static string Name(JsonElement item) => Field(item, "metadata", "name");

    /// <summary>A field as the hub wrote it: a string's value, any other value's JSON, "" when absent.</summary>
    private static string Field(JsonElement e, params string[] path)
    {
        foreach (var p in path)
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return "";
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    }

    private static string Labels(JsonElement item) =>
        item.GetProperty("metadata").TryGetProperty("labels", out var labels)
            ? Sorted(labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))
            : "";

    private static string Sorted(Dictionary<string, string>? labels) =>
        string.Join(",", (labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static string Conditions(JsonElement bd) =>
        bd.GetProperty("status").TryGetProperty("conditions", out var conditions)
            ? string.Join(";", conditions.EnumerateArray().Select(c =>
                $"{Field(c, "type")}={Field(c, "status")}:{Field(c, "message")}:{Field(c, "lastTransitionTime")}"))
            : "";

    private static string Bool(bool? value) => value switch { true => "true", false => "false", null => "" };
}
