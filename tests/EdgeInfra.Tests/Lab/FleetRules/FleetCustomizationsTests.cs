using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary>Targeting, targetCustomizations (FirstMatch / AllMatches, doNotDeploy) and <c>options.Merge</c>.</summary>
public sealed class FleetCustomizationsTests
{
    private static readonly FleetCluster North = new("north-1", new Dictionary<string, string> { ["region"] = "north", ["env"] = "prod" });
    private static readonly FleetCluster South = new("south-1", new Dictionary<string, string> { ["region"] = "south", ["env"] = "prod" });
    private static readonly FleetCluster Lab = new("lab-1", new Dictionary<string, string> { ["env"] = "lab" });

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static FleetCustomizationInput Input(FleetTargetCustomizationMode mode, params string[] customizations) => new(
        mode,
        Obj("""{"helm": {"values": {"replicas": 1, "image": {"tag": "1.0"}}, "force": true}}"""),
        [Obj("""{"clusterSelector": {"matchLabels": {"env": "prod"}}}""")],
        [.. customizations.Select(Obj)]);

    private const string Region = """{"name": "north", "clusterSelector": {"matchLabels": {"region": "north"}}, "helm": {"values": {"replicas": 3}, "force": false}}""";
    private const string Prod = """{"name": "prod", "clusterSelector": {"matchLabels": {"env": "prod"}}, "helm": {"values": {"image": {"tag": "2.0"}}, "atomic": true}}""";

    [Fact]
    public void Resolve_ClusterNoGitRepoTargetSelects_IsNotDeployedEvenIfACustomizationMatches()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.FirstMatch,
            """{"name": "lab", "clusterSelector": {"matchLabels": {"env": "lab"}}}"""), Lab);

        Assert.False(result.Deployed);
        Assert.Equal("no GitRepo target selects this cluster", result.Reason);
        Assert.Null(result.Options);
    }

    [Fact]
    public void Resolve_FirstMatch_MergesOnlyTheFirstMatchingCustomization()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.FirstMatch, Region, Prod), North);

        Assert.Equal(["north"], result.MatchedCustomizations);
        Assert.Equal("""{"helm":{"force":true,"values":{"image":{"tag":"1.0"},"replicas":3}}}""", JsonMerge.Canonical(result.Options));
    }

    [Fact]
    public void Resolve_AllMatches_MergesEveryMatchInOrder()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.AllMatches, Region, Prod), North);

        Assert.Equal(["north", "prod"], result.MatchedCustomizations);
        Assert.Equal("""{"helm":{"atomic":true,"force":true,"values":{"image":{"tag":"2.0"},"replicas":3}}}""", JsonMerge.Canonical(result.Options));
    }

    [Fact]
    public void Resolve_NoCustomizationMatches_GetsRootOptions()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.FirstMatch, Region), South);

        Assert.True(result.Deployed);
        Assert.Empty(result.MatchedCustomizations);
        Assert.Equal("""{"helm":{"force":true,"values":{"image":{"tag":"1.0"},"replicas":1}}}""", JsonMerge.Canonical(result.Options));
    }

    // Fleet v0.16.1 builder.go:127-142 and bundle_targets_test.go:462-507: FirstMatch stops at the first matching entry,
    // so a doNotDeploy entry after a broader one is never evaluated; AllMatches skips on any matching doNotDeploy.
    [Fact]
    public void Resolve_FirstMatchDoNotDeployAfterABroaderMatch_DeploysWithTheBroaderOptions()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.FirstMatch, Prod,
            """{"clusterName": "north-1", "doNotDeploy": true}"""), North);

        Assert.True(result.Deployed);
        Assert.Equal(["prod"], result.MatchedCustomizations);
        Assert.Equal("""{"helm":{"atomic":true,"force":true,"values":{"image":{"tag":"2.0"},"replicas":1}}}""", JsonMerge.Canonical(result.Options));
    }

    [Fact]
    public void Resolve_AllMatchesDoNotDeployAfterABroaderMatch_SkipsTheCluster()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.AllMatches, Prod,
            """{"clusterName": "north-1", "doNotDeploy": true}"""), North);

        Assert.False(result.Deployed);
        Assert.Equal("targetCustomization 'target001' has doNotDeploy: true", result.Reason);
        Assert.Equal(["prod", "target001"], result.MatchedCustomizations);
    }

    [Fact]
    public void Resolve_FirstMatchDoNotDeployFirst_SkipsTheCluster()
    {
        var result = FleetCustomizations.Resolve(Input(FleetTargetCustomizationMode.FirstMatch,
            """{"clusterName": "north-1", "doNotDeploy": true}""", Prod), North);

        Assert.False(result.Deployed);
        Assert.Equal("targetCustomization 'target000' has doNotDeploy: true", result.Reason);
    }

    // builder.go:109 starts from the GitRepo target's options; FirstMatch replaces them (:141), AllMatches merges into them
    // (:123), and only then are the bundle's root options merged with the result (:146).
    [Theory]
    [InlineData(FleetTargetCustomizationMode.FirstMatch, """{"helm":{"force":true,"values":{"image":{"tag":"1.0"},"replicas":3}}}""")]
    [InlineData(FleetTargetCustomizationMode.AllMatches, """{"helm":{"force":true,"values":{"image":{"tag":"1.0"},"replicas":3,"zone":"eu"}}}""")]
    public void Resolve_GitRepoTargetWithOptions_FirstMatchReplacesThemAllMatchesMergesIntoThem(FleetTargetCustomizationMode mode, string expected)
    {
        var input = new FleetCustomizationInput(mode,
            Obj("""{"helm": {"values": {"replicas": 1, "image": {"tag": "1.0"}}, "force": true}}"""),
            [Obj("""{"clusterSelector": {"matchLabels": {"env": "prod"}}, "helm": {"values": {"zone": "eu"}}}""")],
            [Obj(Region)]);

        var result = FleetCustomizations.Resolve(input, North);

        Assert.Equal(expected, JsonMerge.Canonical(result.Options));
    }

    [Fact]
    public void Merge_FleetRules_StringsOverrideListsMergeByKeyOverlaysAppend()
    {
        var root = Obj("""
            {"namespace": "pos", "keepResources": true, "yaml": {"overlays": ["base"]},
             "diff": {"comparePatches": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "a", "operations": [{"op": "remove", "path": "/x"}]}]},
             "helm": {"releaseName": "pos", "maxHistory": 3, "valuesFrom": [{"configMapKeyRef": {"name": "v", "key": "k"}}]}}
            """);
        var custom = Obj("""
            {"namespace": "", "serviceAccount": "edge", "keepResources": false, "yaml": {"overlays": ["north"]},
             "diff": {"comparePatches": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "a", "jsonPointers": ["/y"]},
                                         {"apiVersion": "v1", "kind": "Secret", "name": "b"}]},
             "correctDrift": {"enabled": true},
             "helm": {"maxHistory": 9, "version": "2.0.0", "timeoutSeconds": 60,
                      "valuesFrom": [{"configMapKeyRef": {"name": "v", "key": "k", "optional": true}}, {"secretKeyRef": {"name": "s", "key": "k"}}]}}
            """);

        var merged = FleetOptionsMerge.Merge(root, custom);

        Assert.Equal("pos", (string?)merged["namespace"]);             // empty string does not override
        Assert.Equal("edge", (string?)merged["serviceAccount"]);
        Assert.True((bool?)merged["keepResources"]);                  // ORed: a customization cannot switch it off
        Assert.Equal("""["base","north"]""", merged["yaml"]!["overlays"]!.ToJsonString());
        Assert.Equal(2, merged["diff"]!["comparePatches"]!.AsArray().Count);
        Assert.Equal("""["/y"]""", merged["diff"]!["comparePatches"]![0]!["jsonPointers"]!.ToJsonString());
        Assert.Equal(3, (int?)merged["helm"]!["maxHistory"]);         // not merged by Fleet
        Assert.Equal(("2.0.0", 60, "pos"), ((string?)merged["helm"]!["version"], (int?)merged["helm"]!["timeoutSeconds"], (string?)merged["helm"]!["releaseName"]));
        Assert.Equal(2, merged["helm"]!["valuesFrom"]!.AsArray().Count);
        Assert.True((bool?)merged["helm"]!["valuesFrom"]![0]!["configMapKeyRef"]!["optional"]);
        Assert.True((bool?)merged["correctDrift"]!["enabled"]);
        Assert.Equal("pos", (string?)root["namespace"]);
        Assert.Null(root["serviceAccount"]);                             // inputs untouched
    }

    [Fact]
    public void Merge_KeyedListWithRepeatedCustomKey_FirstCustomEntryWinsAndUnkeyedEntriesAppend()
    {
        var root = Obj("""{"helm": {"valuesFrom": [{"secretKeyRef": {"name": "s", "key": "k"}}, {}]}}""");
        var custom = Obj("""
            {"helm": {"valuesFrom": [{"configMapKeyRef": {"name": "c", "key": "k", "n": 1}}, {"configMapKeyRef": {"name": "c", "key": "k", "n": 2}},
                                     {"secretKeyRef": {"name": "s", "key": "k", "n": 3}}, {}]}}
            """);

        var merged = FleetOptionsMerge.Merge(root, custom)["helm"]!["valuesFrom"]!.AsArray();

        Assert.Equal("""[{"secretKeyRef":{"name":"s","key":"k","n":3}},{},{"configMapKeyRef":{"name":"c","key":"k","n":1}},{}]""", merged.ToJsonString());
    }
}
