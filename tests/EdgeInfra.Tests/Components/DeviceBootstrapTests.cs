using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using T = EdgeInfra.Components.Resources.FleetResourceTypes;

namespace EdgeInfra.Tests.Components;

/// <summary>The device resources of a bootstrapped ring: K3s install, config files, Fleet agent manifest, K3s service.</summary>
public sealed class DeviceBootstrapTests
{
    private const string RegistrationKey = "edge-infra:fleetRegistration";
    private const string Token = "tok-9QzK1";
    private const string Registration = $"""
        apiServerURL: https://hub.example.com:6443
        apiServerCA: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        token: {Token}
        clusterNamespace: fleet-default
        """;

    private static BootstrapSettings Bootstrap(FleetAgentBootstrap? agent = null, string? addressLabel = "site-id") => new(
        addressLabel, 22, "root",
        ImmutableSortedDictionary<string, DeviceSettings>.Empty.Add("store-bud-01", new DeviceSettings("10.1.0.1", 2222, "edge", null)),
        "edge-infra:sshKey", 16, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 3,
        new K3sBootstrap(K3sBootstrap.AirgapInstall, K3sBootstrap.DefaultScriptUrl, "/srv/k3s", ["traefik", "servicelb"]),
        agent ?? new FleetAgentBootstrap(RegistrationKey, FleetAgentBootstrap.DefaultChartRepo, FleetAgentBootstrap.DefaultChartVersion),
        new SourceLocation("Pulumi.prod.yaml", 40));

    private static string Secrets(string key) => key switch
    {
        RegistrationKey => Registration,
        _ => TestFleet.ResolveSecret(key),
    };

    [Fact]
    public void BuildRing_Bootstrapped_OrdersFilesInstallRestartAndKeepsSecretsSecret()
    {
        var model = TestFleet.Small() with { Bootstrap = Bootstrap() };

        var ring = FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, Secrets);

        var store = ring.Resources.Where(r => r.Tags.GetValueOrDefault("store") == "store-vie-02").ToDictionary(r => r.Type);
        Assert.Equal([T.FleetAgent, T.Cluster, T.Store, T.K3sConfig, T.K3sInstall, T.K3sRegistries, T.K3sService], store.Keys.Order(StringComparer.Ordinal));
        var install = store[T.K3sInstall];
        Assert.Equal("v1.30.4+k3s1", install.Inputs["k3sVersion"]);
        Assert.Equal("airgap", install.Inputs["installMode"]);
        Assert.Equal([store[T.K3sRegistries].Urn, store[T.K3sConfig].Urn], install.Options.DependsOn.ToArray());
        var service = store[T.K3sService];
        Assert.Equal([install.Urn, store[T.K3sRegistries].Urn, store[T.K3sConfig].Urn], service.Options.DependsOn.ToArray());
        Assert.Equal(Sha256(store[T.K3sConfig].Inputs["content"]), service.Inputs["watch./etc/rancher/k3s/config.yaml"]);
        Assert.Equal(Sha256(store[T.K3sRegistries].Inputs["content"]), service.Inputs["watch./etc/rancher/k3s/registries.yaml"]);
        Assert.Equal(["watch./etc/rancher/k3s/registries.yaml"], service.SecretInputs); // the eu zone has credentials
        Assert.Equal(["content"], store[T.FleetAgent].SecretInputs);
        Assert.All(store.Values.Where(r => r.Provider == FleetProviders.Device), r => Assert.Equal("store-vie-02", r.Inputs["store"]));
        Assert.Contains("disable:\n  - traefik\n  - servicelb\n", store[T.K3sConfig].Inputs["content"]);
    }

    [Fact]
    public void Render_AgentManifestAndConfig_MatchGolden()
    {
        var store = TestFleet.Small().Stores[0];
        var problems = new List<string>();
        var registration = FleetRegistration.Parse(Registration, RegistrationKey, problems)!;
        var agent = Bootstrap().FleetAgent!;

        var files = new Dictionary<string, string>
        {
            ["fleet-agent.yaml"] = FleetAgentRenderer.Manifest(store, agent, registration, TestFleet.Settings).Content,
            ["config.yaml"] = K3sRenderer.Config(store, ["traefik", "servicelb"]).Content,
        };

        Assert.Empty(problems);
        Golden.AssertDirectory("Components", "device-bootstrap", files);
    }

    [Fact]
    public void BuildRing_NoAddressAndNoRegistrationSecret_ReportsBothWithoutTheToken()
    {
        var model = TestFleet.Small() with { Bootstrap = Bootstrap(addressLabel: null) };

        var e = Assert.Throws<FleetRenderException>(() =>
            FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret));

        Assert.Contains(e.Problems, p => p.Contains("store 'store-vie-02' has no device address", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains($"cannot read secret '{RegistrationKey}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("token: x\n", "has no 'apiServerURL'")]
    [InlineData("apiServerURL: http://hub:6443\ntoken: x\n", "apiServerURL must be an https URL")]
    [InlineData("- not a mapping\n", "must hold the registration values YAML")]
    public void FleetRegistrationParse_BadValues_NamesTheFieldNeverTheToken(string yaml, string expected)
    {
        var problems = new List<string>();

        var parsed = FleetRegistration.Parse(yaml + $"# {Token}\n", RegistrationKey, problems);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains(Token, StringComparison.Ordinal));
        if (parsed is not null) Assert.DoesNotContain(Token, parsed.ToString());
    }

    [Fact]
    public void EndpointOf_DeviceEntryThenLabelThenDefaults_Resolves()
    {
        var bootstrap = Bootstrap();
        var model = TestFleet.Small();

        Assert.Equal(new DeviceEndpoint("10.1.0.1", 2222, "edge", null), bootstrap.EndpointOf(model.Stores[0]).Endpoint);
        Assert.Equal(new DeviceEndpoint("vie-02", 22, "root", null), bootstrap.EndpointOf(model.Stores[1]).Endpoint);
    }

    private static string Sha256(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}
