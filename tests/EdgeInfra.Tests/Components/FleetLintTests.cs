using System.Text.Json.Nodes;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Tests.Components;

public sealed class FleetLintTests
{
    private static readonly IReadOnlyList<FleetCluster> Clusters =
    [
        new("c-a", new Dictionary<string, string> { ["region"] = "north", ["tier"] = "fiber" }),
        new("c-b", new Dictionary<string, string> { ["region"] = "north", ["tier"] = "satellite" }),
        new("c-c", new Dictionary<string, string> { ["region"] = "south" }),
    ];

    private static readonly IReadOnlyList<FleetClusterGroup> Groups =
    [
        new("north", new JsonObject { ["matchLabels"] = new JsonObject { ["region"] = "north" } }, new Dictionary<string, string> { ["kind"] = "region" }),
        new("nothing", null, new Dictionary<string, string>()),
    ];

    private const string North = "clusterSelector: {matchLabels: {region: north}}";
    private const string South = "clusterSelector: {matchLabels: {region: south}}";

    [Theory]
    // GitRepo polling interval
    [InlineData("kind: GitRepo\nmetadata: {name: r}\nspec: {repo: x}\n", LintRules.PollingInterval)]
    [InlineData("kind: GitRepo\nmetadata: {name: r}\nspec: {repo: x, pollingInterval: \"\"}\n", LintRules.PollingInterval)]
    [InlineData("kind: GitRepo\nmetadata: {name: r}\nspec: {repo: x, pollingInterval: 1m}\n", "")]
    // maxUnavailable
    [InlineData("rolloutStrategy: {maxUnavailable: 0}\n", LintRules.MaxUnavailableZero)]
    [InlineData("rolloutStrategy: {maxUnavailable: \"0%\"}\n", "")]
    [InlineData("rolloutStrategy: {maxUnavailable: 1}\n", "")]
    [InlineData("rolloutStrategy: {maxUnavailable: \"1\"}\n", LintRules.MaxUnavailableInvalid)]
    [InlineData("rolloutStrategy: {maxUnavailable: ten}\n", LintRules.MaxUnavailableInvalid)]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: all, maxUnavailable: 0, clusterSelector: {}}\n", LintRules.MaxUnavailableZero)]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: all, maxUnavailable: 1, clusterSelector: {}}\n", "")]
    // partitions: coverage and overlap
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: n, " + North + "}\n", LintRules.PartitionUnmatched)]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: n, " + North + "}\n    - {name: s, " + South + "}\n", "")]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: n, " + North + "}\n    - {name: rest, clusterSelector: {}}\n", LintRules.PartitionOverlap)]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: first, clusterName: c-a}\n    - {name: other, clusterSelector: {matchExpressions: [{key: region, operator: NotIn, values: [north]}]}}\n", LintRules.PartitionUnmatched)]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: first, clusterName: c-a}\n    - {name: rest, clusterSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [fiber]}]}}\n", "")]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: empty}\n    - {name: n, clusterGroup: north}\n    - {name: s, " + South + "}\n", "")]
    [InlineData("rolloutStrategy:\n  partitions:\n    - {name: g, clusterGroup: north, " + South + "}\n    - {name: n, " + North + "}\n", LintRules.PartitionUnmatched)]
    // targetCustomizations shadowing (FirstMatch)
    [InlineData("targetCustomizations:\n  - {name: n, " + North + "}\n  - {name: a, clusterName: c-a}\n", LintRules.CustomizationShadowed)]
    [InlineData("targetCustomizations:\n  - {name: a, clusterName: c-a}\n  - {name: n, " + North + "}\n", "")]
    [InlineData("targetCustomizations:\n  - {name: all, clusterSelector: {}}\n  - {name: c, clusterName: c-c}\n", LintRules.CustomizationShadowed)]
    [InlineData("targetCustomizationMode: AllMatches\ntargetCustomizations:\n  - {name: all, clusterSelector: {}}\n  - {name: c, clusterName: c-c}\n", "")]
    [InlineData("targetCustomizations:\n  - {name: t, clusterSelector: {matchExpressions: [{key: tier, operator: Exists}]}}\n  - {name: b, clusterName: c-b}\n", LintRules.CustomizationShadowed)]
    [InlineData("targetCustomizations:\n  - {name: t, clusterSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}}\n  - {name: b, clusterName: c-b}\n", "")]
    [InlineData("targetCustomizations:\n  - {name: t, clusterSelector: {}}\n  - {name: none, clusterName: zzz}\n", "")]
    [InlineData("targetCustomizations:\n  - {name: g, clusterGroup: north}\n  - {name: b, clusterName: c-b}\n", LintRules.CustomizationShadowed)]
    [InlineData("targetCustomizations:\n  - {name: g, clusterGroup: nothing}\n  - {name: b, clusterName: c-b}\n", "")]
    [InlineData("targetCustomizations:\n  - {name: gs, clusterGroupSelector: {matchLabels: {kind: region}}}\n  - {name: a, clusterName: c-a}\n", LintRules.CustomizationShadowed)]
    // unparsable input is a finding, not a crash
    [InlineData("rolloutStrategy: [\n", LintRules.Unparsable)]
    public void LintFile_Case_ReportsExactlyExpectedRules(string yaml, string expectedRules)
    {
        var findings = FleetLint.LintFile("apps/x/r/fleet.yaml", yaml, Clusters, Groups);
        var expected = expectedRules.Length == 0 ? [] : expectedRules.Split(',');
        Assert.Equal(expected.Order(), findings.Select(f => f.Rule).Order());
        Assert.All(findings, f => Assert.StartsWith("apps/x/r/fleet.yaml", f.File));
    }

    [Fact]
    public void LintFile_UnmatchedClusters_MessageNamesThem()
    {
        var finding = Assert.Single(FleetLint.LintFile("f.yaml", "rolloutStrategy:\n  partitions:\n    - {name: n, " + North + "}\n", Clusters));
        Assert.Contains("c-c", finding.Message);
        Assert.Contains("#3828", finding.Message);
    }

    [Theory]
    [InlineData("{}", "")]
    [InlineData("{clusterName: c-b}", "c-b")]
    [InlineData("{clusterSelector: {}}", "c-a,c-b,c-c")]
    [InlineData("{clusterSelector: null}", "")]
    [InlineData("{clusterName: c-a, " + South + "}", "")]
    [InlineData("{clusterGroup: north, clusterSelector: {matchLabels: {tier: satellite}}}", "c-b")]
    [InlineData("{clusterSelector: {matchExpressions: [{key: region, operator: In, values: [south, east]}]}}", "c-c")]
    [InlineData("{clusterSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [fiber]}]}}", "c-b,c-c")]
    [InlineData("{clusterSelector: {matchExpressions: [{key: tier, operator: Bogus}]}}", "")]
    [InlineData("{clusterSelector: {matchLabels: {region: north}, matchExpressions: [{key: tier, operator: Exists}]}}", "c-a,c-b")]
    public void Matches_Matcher_SelectsFleetsClusters(string matcherYaml, string expected)
    {
        var matcher = (JsonObject)YamlJsonReader.Read(matcherYaml)!;
        var selected = Clusters.Where(c => FleetMatcher.Matches(matcher, c, Groups)).Select(c => c.Name);
        Assert.Equal(expected, string.Join(",", selected));
    }
}

public sealed class FleetLintRenderedTests
{
    [Theory]
    [InlineData("1m", 0)]
    [InlineData("", 1)]
    public void LintRendered_RingFiles_ChecksGitReposAndBundles(string polling, int expected)
    {
        var model = TestFleet.Small() with { Settings = TestFleet.Settings with { PollingInterval = polling } };
        var ring = model.Rings[1].Name;
        var files = new List<RenderedFile> { HubRenderer.GitRepo(ring, model.Apps.Select(a => a.Name), model.Settings) };
        foreach (var app in model.Apps) files.AddRange(BundleRenderer.Render(model, app, model.Rings[1], TestFleet.Today));
        var findings = FleetLint.LintRendered(files, model.StoresInRing(ring));
        Assert.Equal(expected, findings.Count);
    }

    [Fact]
    public void GitRepo_RingWithoutApps_UsesInertGlobNotWholeRepo()
    {
        var doc = YamlJsonReader.Read(HubRenderer.GitRepo("canary", [], TestFleet.Settings).Content)!;
        Assert.Equal("apps/*/canary", Assert.Single(doc["spec"]!["paths"]!.AsArray())!.GetValue<string>());
    }
}
