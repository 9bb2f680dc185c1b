using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab.Config;
using EdgeInfra.Tests.Components;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>The hub's Kubernetes REST subset over real HTTP, read with KubernetesClient, and its metrics page.</summary>
public sealed class HubApiTests
{
    private static async Task<(TestFleetRepo Repo, SimLab Lab)> SettledFleetAsync(LabSettings? settings = null, string? scenario = null)
    {
        var repo = new TestFleetRepo();
        repo.Commit("fleet", SimulatorRolloutTests.Fleet("1.0.0", "  maxUnavailable: 8\n"));
        var lab = await SimLab.StartAsync(repo, settings, scenario);
        lab.Advance(TimeSpan.FromMinutes(10));
        return (repo, lab);
    }

    [Theory]
    [InlineData("clusters", SimFleetFiles.Workspace)]
    [InlineData("bundledeployments", null)]
    [InlineData("gitrepos", SimFleetFiles.Workspace)]
    public async Task List_ObjectsOverARollout_SameResourceVersionMeansSameObject(string plural, string? ns)
    {
        // Clients keep what they read by resourceVersion (the hub client's reuse, any informer): as on a real hub, an
        // object whose JSON moved (an agent's check-in, a status summed up from BundleDeployments) has a new one.
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", SimulatorRolloutTests.Fleet("1.0.0", "  maxUnavailable: 2\n"));
        await using var lab = await SimLab.StartAsync(repo);
        var seen = new Dictionary<(string Key, string Version), string>();
        for (var step = 0; step < 40; step++)
        {
            if (step == 20) repo.Commit("fleet", SimulatorRolloutTests.Fleet("1.0.1", "  maxUnavailable: 2\n"));
            var list = await lab.ListAsync(plural, ns);
            foreach (var item in list.GetProperty("items").EnumerateArray())
            {
                var key = SimLab.Str(item, "metadata", "namespace") + "/" + SimLab.Str(item, "metadata", "name");
                var version = SimLab.Str(item, "metadata", "resourceVersion");
                var json = item.GetRawText();
                if (seen.TryGetValue((key, version), out var before)) Assert.Equal(before, json);
                else seen[(key, version)] = json;
            }
            lab.Advance(TimeSpan.FromSeconds(20));
        }
        Assert.True(seen.Count > 2 * 8, $"{seen.Count} versions of {plural} over the rollout: too few to tell");
    }

    [Fact]
    public async Task ListClusters_GenericClient_DeserializesAsKubernetesList()
    {
        var (repo, lab) = await SettledFleetAsync();
        using var repoScope = repo;
        await using var labScope = lab;
        using var generic = new GenericClient(lab.Kube, SimLab.Group, SimLab.Version, "clusters");

        var list = await generic.ListNamespacedAsync<FleetObjectList>(SimFleetFiles.Workspace);

        Assert.Equal("ClusterList", list.Kind);
        Assert.Equal("fleet.cattle.io/v1alpha1", list.ApiVersion);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"store-{i:00}"), list.Items.Select(i => i.Metadata.Name));
        var first = list.Items[0];
        Assert.Equal("r1", first.Metadata.Labels["rollout-ring"]);
        Assert.StartsWith("cluster-fleet-default-store-01-", first.Status.GetProperty("namespace").GetString());
        Assert.True(DateTimeOffset.TryParse(first.Status.GetProperty("agent").GetProperty("lastSeen").GetString(), out _));
    }

    [Fact]
    public async Task ListClusters_LabelSelectorAndPaging_FilterAndContinue()
    {
        var (repo, lab) = await SettledFleetAsync();
        using var repoScope = repo;
        await using var labScope = lab;

        var west = await lab.ListAsync("clusters", labelSelector: "region=western-europe,rollout-ring=r1");
        var notWest = await lab.ListAsync("clusters", labelSelector: "region!=western-europe");
        var inSet = await lab.ListAsync("clusters", labelSelector: "network-tier in (satellite, dsl)");
        var page1 = await lab.ListAsync("clusters", limit: 3);
        var token = page1.GetProperty("metadata").GetProperty("continue").GetString();
        var page2 = await lab.ListAsync("clusters", limit: 10, continueToken: token);

        Assert.Equal(["store-07", "store-08"], Names(west));
        Assert.Equal(6, Names(notWest).Count);
        Assert.Equal(["store-07", "store-08"], Names(inSet));
        Assert.Equal(["store-01", "store-02", "store-03"], Names(page1));
        Assert.Equal(5, page1.GetProperty("metadata").GetProperty("remainingItemCount").GetInt32());
        Assert.Equal(["store-04", "store-05", "store-06", "store-07", "store-08"], Names(page2));
        Assert.False(page2.GetProperty("metadata").TryGetProperty("continue", out _));
        // As the API server writes a custom resource list (unstructured, keys sorted): the continue token after the items.
        Assert.Equal(["apiVersion", "items", "kind", "metadata"], page1.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ListBundlesAndDeployments_FleetNamesAndLabels()
    {
        var (repo, lab) = await SettledFleetAsync();
        using var repoScope = repo;
        await using var labScope = lab;

        var bundle = (await lab.ListAsync("bundles")).GetProperty("items").EnumerateArray().Single();
        var gitRepo = (await lab.ListAsync("gitrepos")).GetProperty("items").EnumerateArray().Single();
        var bds = await lab.ListAsync("bundledeployments", ns: null);
        var cluster = (await lab.ListAsync("clusters", labelSelector: "fleet.cattle.io/x!=y")).GetProperty("items")[0];
        var ownNamespace = SimLab.Str(cluster, "status", "namespace");
        var inNamespace = await lab.ListAsync("bundledeployments", ns: ownNamespace);
        var groups = await lab.ListAsync("clustergroups");

        Assert.Equal("pos-app-r1", SimLab.Str(bundle, "metadata", "name"));
        Assert.Equal("r1", SimLab.Str(bundle, "metadata", "labels", "fleet.cattle.io/repo-name"));
        var commit = SimLab.Str(gitRepo, "status", "commit");
        Assert.Equal(40, commit.Length);
        Assert.Equal(commit, SimLab.Str(bundle, "metadata", "labels", "fleet.cattle.io/commit"));
        Assert.Equal("BundleDeploymentList", SimLab.Str(bds, "kind"));
        Assert.Equal(8, bds.GetProperty("items").GetArrayLength());
        var bd = Assert.Single(inNamespace.GetProperty("items").EnumerateArray());
        Assert.Equal("pos-app-r1", SimLab.Str(bd, "metadata", "name"));
        Assert.Equal("store-01", SimLab.Str(bd, "metadata", "labels", "fleet.cattle.io/cluster"));
        Assert.Equal("fleet-default", SimLab.Str(bd, "metadata", "labels", "fleet.cattle.io/bundle-namespace"));
        Assert.Equal(commit, SimLab.Str(bd, "metadata", "labels", "fleet.cattle.io/commit"));
        Assert.Matches("^s-[0-9a-f]{64}:[0-9a-f]{64}$", SimLab.Str(bd, "spec", "deploymentID"));
        Assert.Equal(8, groups.GetProperty("items")[0].GetProperty("status").GetProperty("clusterCount").GetInt32());
    }

    [Fact]
    public async Task EveryServedObject_ValidatesAgainstFleetCrds()
    {
        var (repo, lab) = await SettledFleetAsync();
        using var repoScope = repo;
        await using var labScope = lab;
        var problems = new List<string>();

        foreach (var plural in new[] { "clusters", "clustergroups", "gitrepos", "bundles", "bundledeployments" })
            foreach (var item in (await lab.ListAsync(plural, ns: null)).GetProperty("items").EnumerateArray())
            {
                var node = JsonNode.Parse(item.GetRawText())!.AsObject();
                // The test validator knows only the metadata fields EdgeInfra renders; the server-set ones are checked here.
                var meta = node["metadata"]!.AsObject();
                Assert.False(string.IsNullOrEmpty(meta["resourceVersion"]?.GetValue<string>()));
                Assert.True(Guid.TryParse(meta["uid"]?.GetValue<string>(), out _));
                foreach (var serverSet in new[] { "uid", "resourceVersion", "generation", "creationTimestamp" }) meta.Remove(serverSet);
                problems.AddRange(FleetSchemaValidator.ValidateResource(node.ToJsonString()).Select(p => $"{plural}/{meta["name"]}: {p}"));
            }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task UnknownPathOrObject_404WithKubernetesStatus()
    {
        var (repo, lab) = await SettledFleetAsync();
        using var repoScope = repo;
        await using var labScope = lab;

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() =>
            lab.Kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(SimLab.Group, SimLab.Version, SimFleetFiles.Workspace, "clusters", "store-99"));
        using var http = new HttpClient();
        var unknown = await http.GetAsync(new Uri(lab.Hub.HubUri, "apis/fleet.cattle.io/v1alpha1/namespaces/fleet-default/widgets"));
        var status = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", missing.Response.Content);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Status", SimLab.Str(status, "kind"));
        Assert.Equal(404, status.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Metrics_ErrorsScenario_OnlySelectedStoresErr_AndPromtoolAccepts()
    {
        var settings = LabConfigReader.Read(LabConfigTests.Parse("""
            scenarios:
              bad-release:
                faults:
                  - {app: pos-app, version: "*", selector: {region: western-europe}, effect: errors, errorRate: 0.25}
                  - {app: pos-app, version: "*", selector: {canary: "true"}, effect: latency, p99: 2s}
            """), "Pulumi.test.yaml");
        var (repo, lab) = await SettledFleetAsync(settings, "bad-release");
        using var repoScope = repo;
        await using var labScope = lab;
        using var http = new HttpClient();
        lab.Advance(TimeSpan.FromMinutes(10));

        var text = await http.GetStringAsync(lab.Hub.MetricsUri);
        var again = await http.GetStringAsync(lab.Hub.MetricsUri);
        var samples = Parse(text);

        Assert.Equal(text, again); // a pure function of virtual time
        foreach (var store in Enumerable.Range(1, 8).Select(i => $"store-{i:00}"))
        {
            var ok = samples.Single(s => s.Name == "http_requests_total" && s.Labels["store"] == store && s.Labels["code"] == "200").Value;
            var err = samples.Single(s => s.Name == "http_requests_total" && s.Labels["store"] == store && s.Labels["code"] == "500").Value;
            var rate = err / (ok + err);
            if (store is "store-07" or "store-08") Assert.InRange(rate, 0.24, 0.26);
            else Assert.True(rate < 0.01, $"{store}: error rate {rate}");
            var under250ms = samples.Single(s => s.Name == "http_request_duration_seconds_bucket" && s.Labels["store"] == store && s.Labels["le"] == "0.25").Value;
            var count = samples.Single(s => s.Name == "http_request_duration_seconds_count" && s.Labels["store"] == store).Value;
            if (store is "store-01" or "store-02") Assert.True(under250ms / count < 0.99, $"{store} should be slow");
            else Assert.True(under250ms / count >= 0.99, $"{store}: {under250ms}/{count} under 250 ms");
        }
        Assert.All(samples, s => Assert.Equal("1.0.0", s.Labels["version"]));
        Assert.All(samples, s => Assert.Equal("r1", s.Labels["ring"]));
        Assert.Equal(text.Split('\n').Count(l => l.Contains("store=\"store-01\"")), Parse(await http.GetStringAsync(new Uri(lab.Hub.MetricsUri + "?ring=r1"))).Count(s => s.Labels["store"] == "store-01"));
        Assert.DoesNotContain("store=", await http.GetStringAsync(new Uri(lab.Hub.MetricsUri + "?ring=other")));
        Promtool(text);
    }

    /// <summary>Prometheus' own parser (<c>promtool check metrics</c>, Debian package prometheus) judges the exposition.</summary>
    private static void Promtool(string exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("promtool is missing: install the Debian package 'prometheus'");
            return; // outside CI the parser check is skipped; the assertions above still ran
        }
        using (process)
        {
            process.StandardInput.Write(exposition);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            // Exit 1 with only lint remarks (e.g. "no help text") is not a parse error; a parse error names the line.
            Assert.DoesNotContain("error while linting", stderr + stdout);
            Assert.DoesNotContain("parse", (stderr + stdout).ToLowerInvariant());
        }
    }

    internal sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    internal static List<Sample> Parse(string exposition)
    {
        var samples = new List<Sample>();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var brace = line.IndexOf('{');
            var close = line.LastIndexOf('}');
            var labels = line[(brace + 1)..close].Split("\",").Select(p => p.Split("=\"")).ToDictionary(p => p[0], p => p[1].TrimEnd('"'));
            samples.Add(new Sample(line[..brace], labels, double.Parse(line[(close + 2)..], System.Globalization.CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    private static List<string> Names(JsonElement list) =>
        [.. list.GetProperty("items").EnumerateArray().Select(i => SimLab.Str(i, "metadata", "name"))];
}

/// <summary>A Fleet object as a generic client sees it: typed metadata, spec and status left as JSON.</summary>
public sealed class FleetObject : IKubernetesObject<V1ObjectMeta>
{
    [System.Text.Json.Serialization.JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [System.Text.Json.Serialization.JsonPropertyName("spec")] public JsonElement Spec { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("status")] public JsonElement Status { get; set; }
}

/// <summary>A Kubernetes list of <see cref="FleetObject"/>.</summary>
public sealed class FleetObjectList : IKubernetesObject<V1ListMeta>, IItems<FleetObject>
{
    [System.Text.Json.Serialization.JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [System.Text.Json.Serialization.JsonPropertyName("items")] public IList<FleetObject> Items { get; set; } = [];
}
