using EdgeInfra.Components.FleetSchema;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
        Assert.Equal(3, client.Timings.Pages);
    }

    [Fact]
    public async Task ListClusters_PausedCluster_CarriesSpecPaused()
    {
        _hub.Add(Cluster("s7", TimeSpan.FromMinutes(1), paused: true));
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));

        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);

        Assert.Equal(["s7"], clusters.Where(c => c.Spec?.Paused == true).Select(c => c.Metadata.Name));
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("{\"items\": 7}")]
    public async Task StatusReader_AnswerIsNotAFleetList_GivesTheReason(string body)
    {
        using var client = FleetHubClient.ForUrl(_hub.Url, TimeSpan.FromSeconds(5));
        _hub.RawAnswer = body;
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);

        var status = await reader.ReadAsync(Model(Store("s0", "canary")), new Dictionary<string, string>(), Now, CancellationToken.None);

        Assert.False(status.Reachable);
        Assert.Contains("the answer is not a Fleet", status.Error);
    }

    [Theory]
    [InlineData("{token: hub-token}", "Bearer hub-token")]
    [InlineData("{}", null)]
    public async Task FromKubeconfig_HttpsHubSignedByTheKubeconfigsAuthority_ReadsTheHub(string user, string? authorization)
    {
        using var certificate = LoopbackCertificate();
        await using var hub = await CannedFleetHub.StartAsync(certificate);
        hub.Add(Cluster("s0", TimeSpan.FromMinutes(1)));
        using var dir = new EdgeInfra.Tests.Fixtures.TempDirectory();
        using var client = FleetHubClient.FromKubeconfig(HttpsKubeconfig(dir, hub.Url, certificate, user), null, TimeSpan.FromSeconds(5));

        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);

        Assert.Equal(["s0"], clusters.Select(c => c.Metadata.Name));
        Assert.Equal(authorization, hub.LastAuthorization);
    }

    [Fact]
    public async Task FromKubeconfig_HttpsHubSignedByAnotherAuthority_IsRefused()
    {
        using var certificate = LoopbackCertificate();
        using var other = LoopbackCertificate();
        await using var hub = await CannedFleetHub.StartAsync(certificate);
        hub.Add(Cluster("s0", TimeSpan.FromMinutes(1)));
        using var dir = new EdgeInfra.Tests.Fixtures.TempDirectory();
        using var client = FleetHubClient.FromKubeconfig(HttpsKubeconfig(dir, hub.Url, other, "{token: hub-token}"), null, TimeSpan.FromSeconds(5));
        var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);

        var status = await reader.ReadAsync(Model(Store("s0", "canary")), new Dictionary<string, string>(), Now, CancellationToken.None);

        Assert.False(status.Reachable);
        Assert.Empty(hub.Requests);
    }

    /// <summary>A self-signed CA certificate for 127.0.0.1, with its key (as Kestrel needs it).</summary>
    private static X509Certificate2 LoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=edgeinfra-test-hub", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A kubeconfig for an HTTPS hub whose <c>certificate-authority-data</c> is <paramref name="authority"/> (base64 of
    /// the PEM, as kubectl writes it).</summary>
    private static string HttpsKubeconfig(EdgeInfra.Tests.Fixtures.TempDirectory dir, Uri server, X509Certificate2 authority, string user)
    {
        var path = dir.Combine("kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: hub
                cluster:
                  server: {server.ToString().TrimEnd('/')}
                  certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(authority.ExportCertificatePem()))}
            contexts:
              - name: hub
                context: {"{cluster: hub, user: u}"}
            current-context: hub
            users:
              - name: u
                user: {user}
            """);
        return path;
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

    [Theory]
    [InlineData("{token: s3cr3t-hub-token}", "Bearer s3cr3t-hub-token")]
    [InlineData("{}", null)]
    public async Task FromKubeconfig_NamedContext_ReachesItsServerWithItsCredentials(string user, string? authorization)
    {
        using var dir = new EdgeInfra.Tests.Fixtures.TempDirectory();
        var path = dir.Combine("kubeconfig");
        var server = _hub.Url.ToString().TrimEnd('/');
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: other
                cluster:
                  server: http://127.0.0.1:9
              - name: hub
                cluster:
                  server: {server}
            contexts:
              - name: other
                context: {"{cluster: other, user: u}"}
              - name: fleet-prod
                context: {"{cluster: hub, user: u}"}
            current-context: other
            users:
              - name: u
                user: {user}
            """);
        using var client = FleetHubClient.FromKubeconfig(path, "fleet-prod", TimeSpan.FromSeconds(5));

        var clusters = await client.ListClustersAsync(Workspace, null, CancellationToken.None);

        Assert.Equal(7, clusters.Count);
        Assert.Equal(authorization, _hub.LastAuthorization);
    }

    [Fact]
    public void FromKubeconfig_Missing_SaysWhichFile() =>
        Assert.Contains("/nonexistent/kubeconfig", Assert.Throws<FleetHubException>(() =>
            FleetHubClient.FromKubeconfig("/nonexistent/kubeconfig", null, TimeSpan.FromSeconds(1))).Message);

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
        var problems = _hub.All.SelectMany(o => FleetSchemaValidator.ValidateResource(o.ToJsonString())
            .Select(p => $"{o["kind"]} {o["metadata"]?["name"]}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
}
