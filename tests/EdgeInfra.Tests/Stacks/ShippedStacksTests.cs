using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Engine.Config;
using EdgeInfra.Engine.Config;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.StackInputs;
using EdgeInfra.Tests.Components;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Stacks;

/// <summary>The shipped lab and prod stacks load, render every ring and pass Fleet lint.</summary>
public sealed class ShippedStacksTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static LoadedFleet Load(string stack) =>
        FleetLoader.Load(RepoPaths.Root, StackConfigLoader.Load(ProjectFile.Load(RepoPaths.Root), stack, new NoPassphrase()), Today);

    [Theory]
    [InlineData("lab", 500, new[] { "retail-region-1", "retail-region-2", "all" })]
    [InlineData("prod", 520, new[] { "canary", "early", "regional", "all" })]
    public void Load_ShippedStack_EveryRingBuildsAndLintsClean(string stack, int stores, string[] rings)
    {
        var loaded = Load(stack);
        var model = loaded.Model;
        Assert.Equal(stack, model.Stack);
        Assert.Equal(stores, model.Stores.Length);
        Assert.Equal(rings, model.Rings.Select(r => r.Name));
        Assert.Equal(["pos-app", "store-baseline"], model.Apps.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Path.Combine(RepoPaths.Root, "stacks", stack, "stores.yaml"), loaded.InventoryPath);

        FleetStackBuilder.BuildBase(model, "edge-infra");
        foreach (var ring in model.Rings)
        {
            var desired = FleetStackBuilder.BuildRing(model, ring.Name, "edge-infra", Today);
            var files = desired.Resources
                .Where(r => r.Custom && r.Provider == FleetProviders.FleetRepo)
                .Select(r => new RenderedFile(r.Inputs[FleetResourceKeys.Path], r.Inputs[FleetResourceKeys.Content]))
                .ToList();
            Assert.Contains(files, f => f.Path == $"apps/pos-app/{ring.Name}/fleet.yaml");
            Assert.Empty(FleetLint.LintRendered(files, model.StoresInRing(ring.Name)));
            Assert.Empty(files.Where(f => f.Path.StartsWith("apps/", StringComparison.Ordinal) && f.Path.EndsWith("/fleet.yaml", StringComparison.Ordinal))
                .SelectMany(f => FleetSchemaValidator.ValidateFleetYaml(f.Content).Select(e => $"{f.Path}: {e}")));
            Assert.Empty(files.Where(f => f.Path.StartsWith("hub/c", StringComparison.Ordinal) || f.Path.StartsWith("hub/gitrepos/", StringComparison.Ordinal))
                .Take(20).SelectMany(f => FleetSchemaValidator.ValidateResource(f.Content).Select(e => $"{f.Path}: {e}")));
            Assert.True(model.StoresInRing(ring.Name).Any(), $"ring {ring.Name} has no store");
        }
    }

    [Fact]
    public void Load_Lab_ClassicStoresPresentAndBudapestIsConstrained()
    {
        var model = Load("lab").Model;
        var byId = model.Stores.ToDictionary(s => s.Id);
        Assert.Equal("satellite", byId["store-budapest"].Label(StoreLabels.NetworkTier));
        Assert.Equal("retail-region-1", byId["store-budapest"].Ring);
        Assert.Contains("store-prague", byId.Keys);
        Assert.Contains("store-lisbon", byId.Keys);
        var baseline = model.Apps.Single(a => a.Name == "store-baseline");
        Assert.Equal(["configmap.yaml", "namespace.yaml"], baseline.Manifests.Keys);
        Assert.Equal("satellite", baseline.OverlaySelectors["constrained-network"][StoreLabels.NetworkTier]);
        Assert.Contains("configmap.yaml", baseline.Overlays["constrained-network"].Keys);
    }

    [Fact]
    public void Load_Lab_NeedsNoSecretAndWarnsOfNone()
    {
        var loaded = Load("lab");
        Assert.Empty(loaded.Warnings);
        Assert.All(loaded.Model.Zones, z => Assert.Null(z.AuthConfigKey));
        Assert.Equal(Path.Combine(RepoPaths.Root, ".edgeinfra", "fleet.git"), loaded.Repo.Url);
        Assert.Equal("main", loaded.Repo.Branch);
    }

    [Fact]
    public void Load_ProdWithoutMirrorSecrets_RendersWithoutAuthAndSaysSo()
    {
        var loaded = Load("prod");
        Assert.Equal(4, loaded.Warnings.Count);
        Assert.All(loaded.Warnings, w => Assert.Contains("is not set; rendering its registries.yaml without auth", w));
        Assert.All(loaded.Model.Zones, z => Assert.Null(z.AuthConfigKey));
        Assert.Equal("https://git.example.com/edge/fleet.git", loaded.Repo.Url);
        Assert.Equal("https://git.example.com/edge/fleet.git", loaded.Model.Settings.RepoUrl);
    }

    [Fact]
    public void Load_ProdWithMirrorSecret_ZoneKeepsItsAuthKey()
    {
        using var project = new TempDirectory("edgeinfra-prod-secret-");
        foreach (var f in new[] { "Pulumi.yaml", "Pulumi.prod.yaml" }) File.Copy(Path.Combine(RepoPaths.Root, f), project.Combine(f));
        var passphrase = new FixedPassphrase("test passphrase");
        StackConfigEditor.Set(ProjectFile.Load(project.Path), "prod", "mirrorEuWestAuth", "pull:s3cret", secret: true, path: false, passphrase);
        Assert.DoesNotContain("s3cret", File.ReadAllText(project.Combine("Pulumi.prod.yaml")));
        var config = StackConfigLoader.Load(ProjectFile.Load(project.Path), "prod", passphrase);
        var loaded = FleetLoader.Load(RepoPaths.Root, config, Today);
        Assert.Equal("pull:s3cret", config.GetSecret("edge-infra:mirrorEuWestAuth"));
        Assert.Equal("edge-infra:mirrorEuWestAuth", loaded.Model.Zones.Single(z => z.Name == "eu-west").AuthConfigKey);
        Assert.Equal(3, loaded.Warnings.Count);
        var ring = FleetStackBuilder.BuildRing(loaded.Model, "canary", "edge-infra", Today, config.GetSecret);
        Assert.DoesNotContain(loaded.Warnings, w => w.Contains("s3cret"));
        Assert.NotNull(ring);
    }

    [Fact]
    public void Prod_RingSizes_MatchPercentagesAndReassigningChangesNothing()
    {
        var model = Load("prod").Model;
        Assert.Equal([5, 47, 208, 260], model.Rings.Select(r => model.StoresInRing(r.Name).Count()));
        var again = RingAssigner.Assign(model.Stores, model.Rings);
        Assert.Empty(again.Assigned);
        var strata = model.Stores.Select(RingAssigner.Stratum).Distinct().Count();
        Assert.Equal(5, model.StoresInRing("canary").Select(RingAssigner.Stratum).Distinct().Count());
        Assert.True(strata > 20, $"prod has only {strata} strata");
    }

    [Fact]
    public void Prod_Inventory_SpansRegionsCountriesTiersAndFormats()
    {
        var stores = Load("prod").Model.Stores;
        Assert.True(stores.Select(s => s.Region).Distinct().Count() >= 4);
        Assert.True(stores.Select(s => s.Label(StoreLabels.Country)).Distinct().Count() >= 10);
        Assert.True(stores.Select(s => s.Label(StoreLabels.StoreFormat)).Distinct().Count() >= 3);
        Assert.Equal(3, stores.Select(s => s.Label(StoreLabels.TrafficTier)).Distinct().Count());
        Assert.True(stores.Select(s => s.Label(StoreLabels.NetworkTier)).Distinct().Count() >= 3);
    }

    [Theory]
    [InlineData("lab")]
    [InlineData("prod")]
    public void Load_ShippedStack_OverridesHaveOwnersAndFutureExpiry(string stack)
    {
        var model = Load(stack).Model;
        Assert.Contains(model.Overrides, o => o.Scope == OverrideScope.Region && o.Expires > Today);
        Assert.Contains(model.Overrides, o => o.Scope == OverrideScope.Site && o.Expires > Today);
        Assert.All(model.Overrides, o => Assert.False(string.IsNullOrWhiteSpace(o.Owner)));
        var pos = model.Apps.Single(a => a.Name == "pos-app");
        Assert.Equal(AppKind.Helm, pos.Kind);
        Assert.Equal("registry.example.com/edge/pos-app", pos.Image);
        Assert.Contains("traffic-tier", pos.Values["trafficTier"]!.GetValue<string>());
    }

    /// <summary>The loader's field defaults are the ones Pulumi.yaml's schema declares.</summary>
    [Fact]
    public void PulumiYaml_SchemaDefaults_MatchLoaderDefaults()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "Pulumi.yaml"))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal("edge-infra", root["name"].ToString());
        Assert.Equal("dotnet", root["runtime"].ToString());
        Assert.Equal("file://.edgeinfra", root["backend"]["url"].ToString());
        var config = (YamlMappingNode)root["config"];
        var fleet = (YamlMappingNode)config["fleet"]["default"];
        Assert.Equal(EdgeInfra.StackInputs.Config.FleetConfigKeys.DefaultWorkspace, fleet["workspace"].ToString());
        Assert.Equal(EdgeInfra.StackInputs.Config.FleetConfigKeys.DefaultBranch, fleet["branch"].ToString());
        Assert.Equal(EdgeInfra.StackInputs.Config.FleetConfigKeys.DefaultPollingInterval, fleet["pollingInterval"].ToString());
        Assert.Equal(EdgeInfra.StackInputs.Config.FleetConfigKeys.DefaultK3sVersion, fleet["k3sVersion"].ToString());
        Assert.Equal(EdgeInfra.StackInputs.Config.FleetConfigKeys.DefaultFleetRepoUrl, config["fleetRepo"]["default"]["url"].ToString());
        foreach (var (key, decl) in config.Children)
        {
            var d = (YamlMappingNode)decl;
            Assert.True(d.Children.ContainsKey("type"), $"{key} has no type");
            Assert.True(d.Children.ContainsKey("description"), $"{key} has no description");
            if (d["type"].ToString() == "array") Assert.True(d.Children.ContainsKey("items"), $"{key} is an array without items");
        }
    }
}
