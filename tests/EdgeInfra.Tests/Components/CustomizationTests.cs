using EdgeInfra.Components.FleetSchema;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Tests.Components;

public sealed class CustomizationTests
{
    private static readonly string[] Regions = ["north", "south", "east"];

    /// <summary>60 stores in one ring over 3 regions, every 10th on satellite, overrides at all layers.</summary>
    private static FleetModel Generated(params OverrideSpec[] extra)
    {
        var stores = Enumerable.Range(0, 60)
            .Select(i => TestFleet.Store($"store-{i:00}", "all", Regions[i % 3], tier: i % 10 == 0 ? "satellite" : "fiber"))
            .ToImmutableArray();
        OverrideSpec[] overrides =
        [
            TestFleet.Override("base", "pos", OverrideScope.Baseline, null, new JsonObject { ["logLevel"] = "warn" }),
            TestFleet.Override("north-replicas", "pos", OverrideScope.Region, "north", new JsonObject { ["replicas"] = 3 }),
            TestFleet.Override("east-debug", "pos", OverrideScope.Region, "east", new JsonObject { ["logLevel"] = "debug" }),
            TestFleet.Override("s05-fast", "pos", OverrideScope.Site, "store-05", new JsonObject { ["featureFlags"] = new JsonObject { ["fastCheckout"] = true } }),
            TestFleet.Override("s08-fast", "pos", OverrideScope.Site, "store-08", new JsonObject { ["featureFlags"] = new JsonObject { ["fastCheckout"] = true } }),
            // Same values as its region already gives: must not cost a customization of its own.
            TestFleet.Override("s03-redundant", "pos", OverrideScope.Site, "store-03", new JsonObject { ["replicas"] = 3 }),
            TestFleet.Override("signage-east", "signage", OverrideScope.Region, "east", new JsonObject { ["brightness"] = 80 }),
            .. extra,
        ];
        return new FleetModel("lab", stores, [TestFleet.Canary with { Name = "all" }], [TestFleet.Pos(), TestFleet.Signage()],
            [.. overrides], [TestFleet.EuZone], TestFleet.Settings);
    }

    /// <summary>What a store must end up with, computed straight from the layering rules.</summary>
    private static (JsonObject Values, string Overlays) Expected(FleetModel model, AppSpec app, Store store)
    {
        var values = new JsonObject();
        if (app.Kind == AppKind.Helm)
            values["image"] = new JsonObject { ["repository"] = app.Image, ["tag"] = app.Version };
        values = JsonMerge.DeepMerge(values, app.Values);
        foreach (var scope in new[] { OverrideScope.Baseline, OverrideScope.Region, OverrideScope.Site })
            foreach (var o in model.Overrides.Where(o => o.App == app.Name && o.Scope == scope))
                if (scope == OverrideScope.Baseline || (scope == OverrideScope.Region && o.Match == store.Region) || (scope == OverrideScope.Site && o.Match == store.Id))
                    values = JsonMerge.DeepMerge(values, o.Values);
        var overlays = app.OverlaySelectors.Where(s => s.Value.All(l => store.Label(l.Key) == l.Value)).Select(s => s.Key);
        return (values, string.Join(",", overlays));
    }

    /// <summary>What Fleet gives a store: root options merged with the first matching customization (FirstMatch).</summary>
    private static (JsonObject Values, string Overlays, string? Customization) Applied(JsonObject fleetYaml, Store store)
    {
        var root = fleetYaml["helm"]?["values"] as JsonObject ?? [];
        var cluster = new FleetCluster(store.Id, store.Labels);
        var first = (fleetYaml["targetCustomizations"] as JsonArray ?? [])
            .OfType<JsonObject>().FirstOrDefault(c => FleetMatcher.Matches(c, cluster));
        if (first is null) return (root, "", null);
        var values = first["helm"]?["values"] is JsonObject v ? JsonMerge.DeepMerge(root, v) : root;
        var overlays = first["yaml"]?["overlays"] is JsonArray o ? string.Join(",", o.Select(x => x!.GetValue<string>())) : "";
        return (values, overlays, first["name"]!.GetValue<string>());
    }

    public static TheoryData<string> Scenarios => new() { "plain", "region-blocked", "no-overrides" };

    private static FleetModel Scenario(string name) => name switch
    {
        // store-06 (north) is reset to root values, so a region selector for north would wrongly catch it.
        "region-blocked" => Generated(TestFleet.Override("s06-reset", "pos", OverrideScope.Site, "store-06", new JsonObject { ["replicas"] = 1 })),
        "no-overrides" => Generated() with { Overrides = [] },
        _ => Generated(),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_EveryStore_FirstMatchingCustomizationYieldsItsFullyMergedValues(string scenario)
    {
        var model = Scenario(scenario);
        foreach (var app in model.Apps)
        {
            var doc = RenderFleetYaml(model, app);
            foreach (var store in model.Stores)
            {
                var (values, overlays) = Expected(model, app, store);
                var applied = Applied(doc, store);
                Assert.True(JsonMerge.Canonical(values) == JsonMerge.Canonical(applied.Values),
                    $"{app.Name}/{store.Id} via {applied.Customization ?? "root"}: expected {JsonMerge.Canonical(values)}, got {JsonMerge.Canonical(applied.Values)}");
                Assert.Equal(overlays, applied.Overlays);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_Customizations_AreMinimalAndCarryFullValues(string scenario)
    {
        var model = Scenario(scenario);
        foreach (var app in model.Apps)
        {
            var doc = RenderFleetYaml(model, app);
            var rootKey = JsonMerge.Canonical(doc["helm"]?["values"] ?? new JsonObject()) + "|";
            var distinct = model.Stores.Select(s => Expected(model, app, s))
                .Select(e => JsonMerge.Canonical(e.Values) + "|" + e.Overlays)
                .Where(k => k != rootKey).Distinct().Count();
            var customizations = doc["targetCustomizations"] as JsonArray ?? [];
            Assert.Equal(distinct, customizations.Count);
            foreach (var c in customizations.OfType<JsonObject>())
                if (doc["helm"]?["values"] is JsonObject root)
                    Assert.True(root.All(p => c["helm"]!["values"]![p.Key] is not null), $"customization {c["name"]} lacks root keys");
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_GeneratedModel_LintsCleanAndValidates(string scenario)
    {
        var model = Scenario(scenario);
        var clusters = model.Stores.Select(s => new FleetCluster(s.Id, s.Labels)).ToList();
        foreach (var app in model.Apps)
        {
            var yaml = BundleRenderer.Render(model, app, model.Rings[0], TestFleet.Today)[0].Content;
            Assert.Empty(FleetLint.LintFile("fleet.yaml", yaml, clusters));
            Assert.Empty(FleetSchemaValidator.ValidateFleetYaml(yaml));
        }
    }

    [Fact]
    public void Render_GeneratedModel_PicksNaturalSelectors()
    {
        var model = Generated();
        var pos = RenderFleetYaml(model, model.Apps.Single(a => a.Name == "pos"))["targetCustomizations"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(["sites-store-05-and-1", "region-north", "region-east"], pos.Select(c => c["name"]!.GetValue<string>()));
        Assert.Equal("north", pos[1]["clusterSelector"]!["matchLabels"]!["region"]!.GetValue<string>());

        var signage = RenderFleetYaml(model, model.Apps.Single(a => a.Name == "signage"))["targetCustomizations"]!.AsArray().OfType<JsonObject>().ToList();
        // Satellite stores in the east get both the overlay and the east values; other satellites the overlay only.
        Assert.Equal(["network-tier-satellite-region-east", "network-tier-satellite", "region-east"], signage.Select(c => c["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Render_RegionSelectorWouldCatchRootStore_FallsBackToSiteIds()
    {
        var model = Scenario("region-blocked");
        var pos = RenderFleetYaml(model, model.Apps.Single(a => a.Name == "pos"))["targetCustomizations"]!.AsArray().OfType<JsonObject>();
        Assert.DoesNotContain(pos, c => c["clusterSelector"]?["matchLabels"]?["region"]?.GetValue<string>() == "north");
        var ids = pos.Where(c => c["clusterSelector"]?["matchExpressions"] is not null)
            .Select(c => c["clusterSelector"]!["matchExpressions"]![0]!["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList())
            .Single(list => list.Contains("00"));
        Assert.DoesNotContain("06", ids);
        Assert.Equal(19, ids.Count);
    }

    [Fact]
    public void DeepMerge_NestedObjects_MergeRecursivelyAndReplaceScalarsAndArrays()
    {
        var merged = JsonMerge.DeepMerge(
            new JsonObject { ["a"] = new JsonObject { ["x"] = 1, ["y"] = 2 }, ["list"] = new JsonArray(1, 2), ["s"] = "keep" },
            new JsonObject { ["a"] = new JsonObject { ["y"] = 3, ["z"] = 4 }, ["list"] = new JsonArray(9) });
        Assert.Equal("""{"a":{"x":1,"y":3,"z":4},"list":[9],"s":"keep"}""", merged.ToJsonString());
    }

    private static JsonObject RenderFleetYaml(FleetModel model, AppSpec app) =>
        (JsonObject)YamlJsonReader.Read(BundleRenderer.Render(model, app, model.Rings[0], TestFleet.Today)[0].Content)!;
}

public sealed class CustomizationSiteIdTests
{
    [Fact]
    public void Render_SharedSiteIdInRing_FallsBackToClusterNames()
    {
        static Store WithSite(Store s, string site) => s with { Labels = s.Labels.SetItem(StoreLabels.SiteId, site) };
        var stores = new[]
        {
            WithSite(TestFleet.Store("store-a", "all", "north"), "dup"),
            WithSite(TestFleet.Store("store-b", "all", "north"), "b"),
            WithSite(TestFleet.Store("store-c", "all", "north"), "dup"), // root values, shares store-a's site id
        };
        var model = new FleetModel("lab", [.. stores], [TestFleet.Canary with { Name = "all" }], [TestFleet.Pos()],
        [
            TestFleet.Override("a", "pos", OverrideScope.Site, "store-a", new JsonObject { ["x"] = 1 }),
            TestFleet.Override("b", "pos", OverrideScope.Site, "store-b", new JsonObject { ["x"] = 1 }),
        ], [TestFleet.EuZone], TestFleet.Settings);
        var doc = YamlJsonReader.Read(BundleRenderer.Render(model, model.Apps[0], model.Rings[0], TestFleet.Today)[0].Content)!;
        var names = doc["targetCustomizations"]!.AsArray().Select(c => c!["clusterName"]?.GetValue<string>()).ToList();
        Assert.Equal(["store-a", "store-b"], names);
    }
}

public sealed class CustomizationRandomizedTests
{
    /// <summary>Seeded random fleets: whatever the mix of layers, Fleet's first match gives every store its values.</summary>
    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    [InlineData(6)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(10)]
    [InlineData(11)] [InlineData(12)] [InlineData(13)] [InlineData(14)] [InlineData(15)]
    public void Render_RandomFleet_FirstMatchYieldsEveryStoresValuesAndLintsClean(int seed)
    {
        var random = new Random(seed);
        string[] regions = ["north", "south", "east", "west"];
        var stores = Enumerable.Range(0, 40)
            .Select(i => TestFleet.Store($"store-{i:00}", "all", regions[random.Next(regions.Length)],
                tier: random.Next(4) == 0 ? "satellite" : "fiber"))
            .ToImmutableArray();
        var overrides = new List<OverrideSpec>();
        foreach (var app in new[] { "pos", "signage" })
        {
            foreach (var region in regions.Where(_ => random.Next(2) == 0))
                overrides.Add(TestFleet.Override($"{app}-{region}", app, OverrideScope.Region, region, new JsonObject { ["replicas"] = random.Next(1, 4) }));
            foreach (var store in stores.Where(_ => random.Next(6) == 0))
                overrides.Add(TestFleet.Override($"{app}-{store.Id}", app, OverrideScope.Site, store.Id,
                    new JsonObject { [random.Next(2) == 0 ? "replicas" : "debug"] = random.Next(1, 3) }));
        }
        var model = new FleetModel("lab", stores, [TestFleet.Canary with { Name = "all" }], [TestFleet.Pos(), TestFleet.Signage()],
            [.. overrides], [TestFleet.EuZone], TestFleet.Settings);
        var clusters = stores.Select(s => new FleetCluster(s.Id, s.Labels)).ToList();

        foreach (var app in model.Apps)
        {
            var yaml = BundleRenderer.Render(model, app, model.Rings[0], TestFleet.Today)[0].Content;
            Assert.Empty(FleetLint.LintFile("fleet.yaml", yaml, clusters));
            var doc = (JsonObject)YamlJsonReader.Read(yaml)!;
            var root = doc["helm"]?["values"] as JsonObject ?? [];
            var customizations = (doc["targetCustomizations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var resolver = new EffectiveOptionsResolver(app, model.Overrides);
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            foreach (var store in stores)
            {
                var expected = resolver.For(store);
                var first = customizations.FirstOrDefault(c => FleetMatcher.Matches(c, new FleetCluster(store.Id, store.Labels)));
                var values = first?["helm"]?["values"] is JsonObject v ? JsonMerge.DeepMerge(root, v) : root;
                var overlays = first?["yaml"]?["overlays"] is JsonArray o ? o.Select(x => x!.GetValue<string>()).ToList() : [];
                Assert.Equal(JsonMerge.Canonical(expected.Values), JsonMerge.Canonical(values));
                Assert.Equal(expected.Overlays, overlays);
                if (expected.Key != JsonMerge.Canonical(root) + "|") distinct.Add(expected.Key);
            }
            Assert.Equal(distinct.Count, customizations.Count);
        }
    }
}
