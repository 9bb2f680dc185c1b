using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Tests.Components;

public sealed class FleetStackBuilderTests
{
    private static DesiredStack Early() =>
        FleetStackBuilder.BuildRing(TestFleet.Small(), "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret);

    [Fact]
    public void BuildRing_Resources_ParentsComeBeforeChildren()
    {
        var stack = Early();
        Assert.Equal("prod.early", stack.Stack);
        var seen = new HashSet<Urn> { stack.RootUrn };
        foreach (var r in stack.Resources)
        {
            Assert.NotNull(r.Parent);
            Assert.Contains(r.Parent!.Value, seen);
            Assert.True(seen.Add(r.Urn), $"duplicate URN {r.Urn}");
            Assert.Equal("prod.early", r.Urn.Stack);
        }
    }

    [Fact]
    public void BuildRing_Store_IsComponentWithClusterAndDeviceFiles()
    {
        var stack = Early();
        var store = Assert.Single(stack.Resources, r => r.Type == FleetResourceTypes.Store && r.Name == "store-vie-02");
        Assert.False(store.Custom);
        Assert.Equal("store/store-vie-02", store.MoveKey);
        Assert.Equal("central", store.Inputs["labels.region"]);
        var children = stack.Resources.Where(r => r.Parent == store.Urn).ToDictionary(r => r.Type);
        Assert.Equal(FleetProviders.FleetRepo, children[FleetResourceTypes.Cluster].Provider);
        Assert.Equal("hub/clusters/store-vie-02.yaml", children[FleetResourceTypes.Cluster].Inputs["path"]);
        Assert.Equal("store/store-vie-02/cluster", children[FleetResourceTypes.Cluster].MoveKey);
        Assert.Equal(FleetProviders.Device, children[FleetResourceTypes.K3sRegistries].Provider);
        Assert.Equal("/etc/rancher/k3s/registries.yaml", children[FleetResourceTypes.K3sRegistries].Inputs["path"]);
        Assert.Equal("/etc/rancher/k3s/config.yaml", children[FleetResourceTypes.K3sConfig].Inputs["path"]);
        Assert.All(children.Values, c => Assert.Equal("store-vie-02", c.Tags["store"]));
        Assert.All(children.Values, c => Assert.True(c.Custom));
    }

    [Theory]
    [InlineData("store-vie-02", true)]  // zone eu has mirror credentials
    [InlineData("store-mad-03", false)] // zone us has none
    public void BuildRing_RegistriesWithAuth_ContentIsSecretInput(string storeId, bool secret)
    {
        var registries = Assert.Single(Early().Resources, r => r.Type == FleetResourceTypes.K3sRegistries && r.Name == storeId);
        Assert.Equal(secret, registries.SecretInputs.Contains("content"));
    }

    [Fact]
    public void BuildRing_Release_HoldsEveryBundleFileTaggedWithAppAndRelease()
    {
        var stack = Early();
        var release = Assert.Single(stack.Resources, r => r.Type == FleetResourceTypes.RingRelease && r.Name == "signage");
        Assert.Equal("1.7.0", release.Inputs["version"]);
        var files = stack.Resources.Where(r => r.Parent == release.Urn).ToList();
        Assert.Equal(
            ["apps/signage/early/configmap.yaml", "apps/signage/early/deployment.yaml", "apps/signage/early/fleet.yaml", "apps/signage/early/overlays/low-bandwidth/configmap.yaml"],
            files.Select(f => f.Inputs["path"]).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(FleetResourceTypes.File, f.Type));
        Assert.All(files, f => Assert.Equal("1.7.0", f.Tags["release"]));
        Assert.All(files, f => Assert.Equal("signage", f.Tags["app"]));
    }

    [Fact]
    public void BuildRing_StoreMovingRings_KeepsItsMoveKeys()
    {
        var model = TestFleet.Small();
        var moved = model with
        {
            Stores = model.Stores.Select(s => s.Id == "store-vie-02"
                ? s with { Labels = s.Labels.SetItem(StoreLabels.RolloutRing, "canary") } : s).ToImmutableArray(),
        };
        static ImmutableSortedSet<string> Keys(DesiredStack s, string id) =>
            s.Resources.Where(r => r.Tags.GetValueOrDefault("store") == id).Select(r => r.MoveKey!).ToImmutableSortedSet(StringComparer.Ordinal);
        var before = Keys(FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret), "store-vie-02");
        var after = Keys(FleetStackBuilder.BuildRing(moved, "canary", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret), "store-vie-02");
        Assert.Equal(4, before.Count);
        Assert.Equal(before, after);
    }

    [Fact]
    public void BuildRing_UnknownRing_FailsListingRings()
    {
        var e = Assert.Throws<FleetRenderException>(() => FleetStackBuilder.BuildRing(TestFleet.Small(), "nope", TestFleet.Project, TestFleet.Today));
        Assert.Contains("canary, early", e.Message);
    }

    [Fact]
    public void BuildRing_InvalidLabelValue_Fails()
    {
        var model = TestFleet.Small();
        model = model with { Stores = [.. model.Stores, TestFleet.Store("store-x", "early", "central") with { Labels = TestFleet.Sorted(("rollout-ring", "early"), ("timezone", "Europe/Budapest")) }] };
        var e = Assert.Throws<FleetRenderException>(() => FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret));
        Assert.Contains(e.Problems, p => p.Contains("Europe/Budapest"));
    }
}
