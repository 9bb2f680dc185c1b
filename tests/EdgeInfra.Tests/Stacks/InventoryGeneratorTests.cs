using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Stacks;

public sealed class InventoryGeneratorTests
{
    [Fact]
    public void Generate_SameCountAndSeed_SameInventory()
    {
        Assert.Equal(InventoryGenerator.ToYaml(InventoryGenerator.Generate(300, 42)), InventoryGenerator.ToYaml(InventoryGenerator.Generate(300, 42)));
        Assert.NotEqual(InventoryGenerator.ToYaml(InventoryGenerator.Generate(300, 42)), InventoryGenerator.ToYaml(InventoryGenerator.Generate(300, 43)));
    }

    [Fact]
    public void Generate_Stores_CarryEveryLabelButRollOutRing()
    {
        var stores = InventoryGenerator.Generate(500, 1);
        Assert.Equal(500, stores.Select(s => s.Id).Distinct().Count());
        Assert.All(stores, s => Assert.Null(s.Ring));
        Assert.All(stores, s => Assert.Equal(StoreLabels.All.Count - 1, s.Labels.Count));
        Assert.Contains(stores, s => s.Label(StoreLabels.Timezone) == "Europe.Budapest");
        Assert.True(stores.Select(s => s.Region).Distinct().Count() >= 4);
        Assert.Equal(InventoryGenerator.Zones.Order(), stores.Select(s => s.RegistryZone!).Distinct().Order());
    }

    [Fact]
    public void ToYaml_Generated_ReadsBackIdentically()
    {
        var stores = InventoryGenerator.Generate(200, 3);
        var problems = new List<string>();
        var read = YamlInventoryReader.Read(new StringReader(InventoryGenerator.ToYaml(stores, ["generated"])), "g.yaml", problems);
        Assert.Empty(problems);
        Assert.Equal(stores.Select(s => (s.Id, string.Join(";", s.Labels))), read.Select(s => (s.Id, string.Join(";", s.Labels))));
    }

    [Fact]
    public void Generate_ThenValidate_OnlyMissingRingsFirstTwentyListed()
    {
        var stores = InventoryGenerator.Generate(1000, 4);
        var problems = new List<string>();
        new InventoryValidator().Validate(stores, ["canary", "all"], InventoryGenerator.Zones.ToList(),
            new Dictionary<string, (string, SourceLocation)>(), "assign", problems);
        Assert.Equal(21, problems.Count);
        Assert.All(problems.Take(20), p => Assert.EndsWith("is in no ring", p));
        Assert.Equal("1000 store(s) have no rollout-ring label (980 more not listed); assign", problems[^1]);
    }
}
