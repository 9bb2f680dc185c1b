using EdgeInfra.Components.FleetSchema;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Tests.Components;

public sealed class FleetRenderingTests
{
    [Fact]
    public void Render_SmallModel_MatchesGolden()
    {
        var rendered = RenderedFleet.Of(TestFleet.Small());
        var files = new Dictionary<string, string>(rendered.Files, StringComparer.Ordinal);
        foreach (var stack in rendered.Stacks) files[$"stacks/{stack.Stack}.txt"] = RenderedFleet.Listing(stack);
        Golden.AssertDirectory("Components", "small", files);
    }

    [Fact]
    public void Render_SmallModel_EveryFleetYamlValidatesAgainstSchema()
    {
        var fleetYamls = RenderedFleet.Of(TestFleet.Small()).Files.Where(f => f.Key.EndsWith("/fleet.yaml", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, fleetYamls.Count); // hub + 2 apps × 2 rings
        var errors = fleetYamls.SelectMany(f => FleetSchemaValidator.ValidateFleetYaml(f.Value).Select(e => $"{f.Key}: {e}")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Render_SmallModel_EveryHubResourceValidatesAgainstItsCrd()
    {
        var resources = RenderedFleet.Of(TestFleet.Small()).Files
            .Where(f => f.Key.StartsWith("hub/", StringComparison.Ordinal) && !f.Key.EndsWith("fleet.yaml", StringComparison.Ordinal)
                        || f.Key.StartsWith("bootstrap/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(3 + 2 + 2 + 1, resources.Count);
        var errors = resources.SelectMany(f => FleetSchemaValidator.ValidateResource(f.Value).Select(e => $"{f.Key}: {e}")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("maxUnavaliable: 1\n")]
    [InlineData("rolloutStrategy:\n  maxUnavailable: true\n")]
    [InlineData("helm:\n  values: []\n")]
    public void ValidateFleetYaml_InvalidDocument_ReportsErrors(string yaml) =>
        Assert.NotEmpty(FleetSchemaValidator.ValidateFleetYaml(yaml));

    [Theory]
    [InlineData("apiVersion: fleet.cattle.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: a\nspec:\n  clientId: a\n")]
    [InlineData("apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata:\n  name: a\nspec:\n  branch: main\n")]
    [InlineData("apiVersion: fleet.cattle.io/v1alpha1\nkind: ClusterGroup\nmetadata:\n  name: a\nspec:\n  selector:\n    matchLabel:\n      a: b\n")]
    public void ValidateResource_InvalidResource_ReportsErrors(string yaml) =>
        Assert.NotEmpty(FleetSchemaValidator.ValidateResource(yaml));

    [Fact]
    public void Render_SmallModel_LintsClean()
    {
        var model = TestFleet.Small();
        var findings = new List<LintFinding>();
        foreach (var (path, content) in RenderedFleet.Of(model).Files)
        {
            if (!path.EndsWith(".yaml", StringComparison.Ordinal) || path.StartsWith(RenderedFleet.DevicesDir, StringComparison.Ordinal)) continue;
            var ring = path.StartsWith("apps/", StringComparison.Ordinal) ? path.Split('/')[2] : null;
            var clusters = model.Stores.Where(s => ring is null || s.Ring == ring).Select(s => new FleetCluster(s.Id, s.Labels)).ToList();
            findings.AddRange(FleetLint.LintFile(path, content, clusters));
        }
        Assert.Empty(findings);
    }

    [Fact]
    public void BuildRing_ExpiredOverride_FailsNamingOverrideAndOwner()
    {
        var model = TestFleet.Small();
        model = model with
        {
            Overrides = model.Overrides.Add(TestFleet.Override("pos-old-promo", "pos", OverrideScope.Region, "central",
                new JsonObject { ["promo"] = true }, expires: TestFleet.Today.AddDays(-1))),
        };
        var e = Assert.Throws<FleetRenderException>(() =>
            FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret));
        var problem = Assert.Single(e.Problems);
        Assert.Contains("pos-old-promo", problem);
        Assert.Contains("alice@example.com", problem);
        Assert.Contains("2026-11-22", problem);
    }

    [Fact]
    public void BuildRing_OverrideExpiringToday_StillApplies()
    {
        var model = TestFleet.Small();
        model = model with
        {
            Overrides = model.Overrides.Add(TestFleet.Override("pos-today", "pos", OverrideScope.Baseline, null,
                new JsonObject { ["promo"] = true }, expires: TestFleet.Today)),
        };
        var stack = FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret);
        Assert.Contains(stack.Resources, r => r.Inputs.GetOrDefault(FleetResourceKeys.Content)?.Contains("promo: true") == true);
    }

    [Fact]
    public void BuildRing_SeveralProblems_ReportsAllAtOnce()
    {
        var model = TestFleet.Small();
        model = model with
        {
            Stores = model.Stores.Add(TestFleet.Store("store-x-09", "early", "south", zone: "nowhere")),
            Rings = [TestFleet.Canary, TestFleet.Early with { MaxUnavailable = "0" }],
            Overrides = model.Overrides.Add(TestFleet.Override("stale", "pos", OverrideScope.Baseline, null, [], TestFleet.Today.AddDays(-3))),
        };
        var e = Assert.Throws<FleetRenderException>(() =>
            FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret));
        Assert.Contains(e.Problems, p => p.Contains("'stale'"));
        Assert.Contains(e.Problems, p => p.Contains("'nowhere'"));
        Assert.Contains(e.Problems, p => p.Contains("integer 0"));
    }

    [Fact]
    public void BuildRing_ZoneWithAuthButNoSecrets_Fails()
    {
        var e = Assert.Throws<FleetRenderException>(() =>
            FleetStackBuilder.BuildRing(TestFleet.Small(), "canary", TestFleet.Project, TestFleet.Today, resolveSecret: null));
        Assert.Contains(e.Problems, p => p.Contains(TestFleet.MirrorAuthKey));
    }

    [Fact]
    public void Cluster_StoreLabels_RoundTripThroughYaml()
    {
        var store = TestFleet.Store("store-bud-01", "canary", "central");
        var doc = YamlJsonReader.Read(HubRenderer.Cluster(store, TestFleet.Settings).Content)!;
        Assert.Equal("store-bud-01", doc["spec"]!["clientID"]!.GetValue<string>());
        Assert.Equal("fleet-default", doc["metadata"]!["namespace"]!.GetValue<string>());
        foreach (var (k, v) in store.Labels) Assert.Equal(v, doc["metadata"]!["labels"]![k]!.GetValue<string>());
    }

    [Fact]
    public void Registries_ZoneWithSeveralUpstreams_MirrorsEachWithRewriteAndAuthIsSecret()
    {
        var problems = new List<string>();
        var zones = new Dictionary<string, RegistryZone> { ["eu"] = TestFleet.EuZone };
        var file = K3sRenderer.Registries(TestFleet.Store("store-a", "canary", "central"), zones, TestFleet.ResolveSecret, problems);
        Assert.Empty(problems);
        Assert.True(file.Secret);
        var doc = YamlJsonReader.Read(file.Content)!;
        foreach (var upstream in TestFleet.EuZone.Upstreams)
        {
            Assert.Equal(TestFleet.EuZone.Mirror, doc["mirrors"]![upstream]!["endpoint"]![0]!.GetValue<string>());
            Assert.Equal($"{upstream}/$1", doc["mirrors"]![upstream]!["rewrite"]!["^(.*)$"]!.GetValue<string>());
        }
        Assert.Equal("s3cr3t-test", doc["configs"]!["mirror-eu.example.com:5000"]!["auth"]!["password"]!.GetValue<string>());
    }

    [Fact]
    public void Registries_SingleUpstreamWithoutAuth_NoRewriteNotSecret()
    {
        var problems = new List<string>();
        var zones = new Dictionary<string, RegistryZone> { ["us"] = TestFleet.UsZone };
        var file = K3sRenderer.Registries(TestFleet.Store("store-a", "canary", "central", zone: "us"), zones, null, problems);
        Assert.Empty(problems);
        Assert.False(file.Secret);
        var doc = YamlJsonReader.Read(file.Content)!;
        Assert.Null(doc["configs"]);
        Assert.Null(doc["mirrors"]!["registry.example.com"]!["rewrite"]);
    }

    [Fact]
    public void Registries_MalformedSecret_ErrorDoesNotLeakIt()
    {
        var problems = new List<string>();
        var zones = new Dictionary<string, RegistryZone> { ["eu"] = TestFleet.EuZone };
        K3sRenderer.Registries(TestFleet.Store("store-a", "canary", "central"), zones, _ => "no-colon-secret", problems);
        var problem = Assert.Single(problems);
        Assert.DoesNotContain("no-colon-secret", problem);
    }

    [Fact]
    public void Config_StoreLabels_BecomePrefixedNodeLabels()
    {
        var store = TestFleet.Store("store-a", "canary", "central");
        var doc = YamlJsonReader.Read(K3sRenderer.Config(store).Content)!;
        Assert.Equal("store-a", doc["node-name"]!.GetValue<string>());
        var labels = doc["node-label"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("edgeinfra.io/region=central", labels);
        Assert.Equal(store.Labels.Count, labels.Count);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("25", 25)]
    public void RolloutStrategy_IntegerText_RendersInteger(string text, int expected)
    {
        var problems = new List<string>();
        var strategy = RolloutStrategyRenderer.Render(TestFleet.Canary with { MaxUnavailable = text }, problems);
        Assert.Empty(problems);
        Assert.Equal(expected, strategy["maxUnavailable"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("0", "integer 0")]
    [InlineData("ten", "percentage")]
    [InlineData("-1", "percentage")]
    public void RolloutStrategy_BadValue_Reported(string text, string expected)
    {
        var problems = new List<string>();
        RolloutStrategyRenderer.Render(TestFleet.Canary with { MaxUnavailable = text }, problems);
        Assert.Contains(problems, p => p.Contains(expected));
    }

    [Fact]
    public void RolloutStrategy_Percent_StaysQuotedString()
    {
        var problems = new List<string>();
        var strategy = RolloutStrategyRenderer.Render(TestFleet.Early, problems);
        Assert.Equal("10%", strategy["maxUnavailable"]!.GetValue<string>());
        Assert.Contains("maxUnavailable: \"10%\"", YamlEmitter.Emit(strategy));
    }
}

public sealed class FleetSettingsChecksTests
{
    [Theory]
    [InlineData("1m", true)]
    [InlineData("1h30m", true)]
    [InlineData("15s", true)]
    [InlineData("", false)]
    [InlineData("1d", false)]
    [InlineData("0", false)]
    public void Problems_PollingInterval_AcceptsGoDurationsOnly(string polling, bool ok) =>
        Assert.Equal(ok, FleetSettingsChecks.Problems(TestFleet.Settings with { PollingInterval = polling }).Count == 0);

    [Fact]
    public void BuildRing_EmptyPollingInterval_Fails()
    {
        var model = TestFleet.Small() with { Settings = TestFleet.Settings with { PollingInterval = "" } };
        var e = Assert.Throws<FleetRenderException>(() =>
            FleetStackBuilder.BuildRing(model, "canary", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret));
        Assert.Contains(e.Problems, p => p.Contains("pollingInterval"));
    }
}

public sealed class BundleNameTests
{
    [Theory]
    [InlineData("pos", true)]
    [InlineData("Pos_App", false)]
    [InlineData("a-very-long-application-name-that-goes-on-and-on-forever", false)]
    public void Render_AppName_MustMakeValidBundleName(string appName, bool ok)
    {
        var app = TestFleet.Pos() with { Name = appName };
        var model = TestFleet.Small() with { Apps = [app], Overrides = [] };
        var render = () => BundleRenderer.Render(model, app, TestFleet.Canary, TestFleet.Today);
        if (ok) Assert.NotEmpty(render());
        else Assert.Contains("bundle name", Assert.Throws<FleetRenderException>(render).Message);
    }
}
