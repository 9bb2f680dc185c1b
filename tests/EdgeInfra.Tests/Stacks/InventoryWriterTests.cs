using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs;
using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Stacks;

public sealed class InventoryWriterTests
{
    private const string Yaml = """
        # Chain inventory. Keep one store per entry.
        stores:
          # Budapest flagship
          - id: store-a
            labels:
              region: central   # the hub region
              rollout-ring: "retired"
              country: hu
          - id: store-b
            labels:
              region: central
              country: hu  # trailing comment stays on its line
          - id: store-c
            labels: {region: south, country: es}
          - id: store-d
            labels:
              region: south
              rollout-ring: early

        """;

    private static string[] Lines(string text) => text.Split('\n');

    /// <summary>The lines of <paramref name="a"/> not matched one for one by lines of <paramref name="b"/> (a multiset difference).</summary>
    private static List<string> Minus(string[] a, string[] b)
    {
        var rest = b.ToList();
        return a.Where(line => !rest.Remove(line)).ToList();
    }

    [Fact]
    public void ApplyYaml_ChangesOnlyRolloutRingLines()
    {
        var rings = new Dictionary<string, string> { ["store-a"] = "canary", ["store-b"] = "early", ["store-c"] = "all" };
        var updated = InventoryWriter.ApplyYaml(Yaml, "stores.yaml", rings);

        var before = Lines(Yaml);
        var after = Lines(updated);
        // Every original line is still there, in order, except the replaced ring value; the only new lines are ring lines.
        var removed = Minus(before, after);
        var addedLines = Minus(after, before);
        Assert.Equal(["      rollout-ring: \"retired\"", "    labels: {region: south, country: es}"], removed);
        Assert.Equal(["      rollout-ring: canary", "      rollout-ring: early", "    labels: {region: south, country: es, rollout-ring: all}"],
            addedLines.Order(StringComparer.Ordinal));
        Assert.Equal(before.Length + 1, after.Length);
        Assert.Contains("      country: hu  # trailing comment stays on its line\n      rollout-ring: early\n", updated);
        Assert.StartsWith("# Chain inventory. Keep one store per entry.\nstores:\n  # Budapest flagship\n", updated);
    }

    [Fact]
    public void ApplyYaml_Result_ReadsBackWithTheNewRings()
    {
        var rings = new Dictionary<string, string> { ["store-a"] = "canary", ["store-b"] = "early", ["store-c"] = "all" };
        var problems = new List<string>();
        var stores = YamlInventoryReader.Read(new StringReader(InventoryWriter.ApplyYaml(Yaml, "s.yaml", rings)), "s.yaml", problems);
        Assert.Empty(problems);
        Assert.Equal(["canary", "early", "all", "early"], stores.Select(s => s.Ring));
        Assert.Equal("es", stores[2].Label(StoreLabels.Country));
    }

    [Fact]
    public void ApplyYaml_NothingToWrite_TextUnchanged()
    {
        Assert.Equal(Yaml, InventoryWriter.ApplyYaml(Yaml, "s.yaml", new Dictionary<string, string>()));
    }

    [Fact]
    public void ApplyYaml_StoreWithoutLabels_IsAProblem()
    {
        var e = Assert.Throws<FleetModelException>(() =>
            InventoryWriter.ApplyYaml("stores:\n  - id: store-x\n", "s.yaml", new Dictionary<string, string> { ["store-x"] = "all" }));
        Assert.Equal("s.yaml:2: store 'store-x' has no 'labels' mapping to add rollout-ring to", Assert.Single(e.Problems));
    }

    private const string Csv = "# inventory\nid,region,rollout-ring,country\nstore-a,central,,hu\n\"store-b\",\"central, east\",retired,hu\nstore-c,south,early,es\n";

    [Fact]
    public void ApplyCsv_WithRingColumn_ChangesOnlyThoseCells()
    {
        var updated = CsvRingWriter.Apply(Csv, "s.csv", new Dictionary<string, string> { ["store-a"] = "canary", ["store-b"] = "all" });
        Assert.Equal("# inventory\nid,region,rollout-ring,country\nstore-a,central,canary,hu\n\"store-b\",\"central, east\",all,hu\nstore-c,south,early,es\n", updated);
    }

    [Fact]
    public void ApplyCsv_WithoutRingColumn_AddsTheColumn()
    {
        var csv = "id,region\r\nstore-a,central\r\nstore-b,south\r\n";
        var updated = CsvRingWriter.Apply(csv, "s.csv", new Dictionary<string, string> { ["store-b"] = "all" });
        Assert.Equal("id,region,rollout-ring\r\nstore-a,central,\r\nstore-b,south,all\r\n", updated);
    }

    [Theory]
    [InlineData("stores.yaml")]
    [InlineData("stores.csv")]
    public void AssignRings_UnlabelledStores_WrittenBackAndThenLoad(string inventoryName)
    {
        var generated = InventoryGenerator.Generate(60, 5)
            .Select(s => s with { Labels = s.Labels.SetItem(StoreLabels.RegistryZone, s.Region == "north-america" ? "us" : "eu") })
            .ToList();
        var text = inventoryName.EndsWith(".csv", StringComparison.Ordinal) ? InventoryEquivalenceTests.ToCsv(generated) : InventoryGenerator.ToYaml(generated);
        using var project = new TempProject(inventory: text, inventoryName: inventoryName);
        File.Delete(project.InventoryPath());
        if (inventoryName != "stores.yaml") File.Delete(project.InventoryPath("stores.yaml"));
        File.WriteAllText(project.InventoryPath(inventoryName), text);

        Assert.Contains(project.Problems(), p => p.Contains("edgeinfra rings assign --stack test", StringComparison.Ordinal));
        var assignment = FleetLoader.AssignRings(project.Dir, project.Config());
        Assert.Equal(60, assignment.Assigned.Count);
        Assert.Equal([6, 24, 30], assignment.Rings.Select(r => r.Stores));

        var model = project.Load().Model;
        Assert.Equal(assignment.Assigned, model.Stores.ToDictionary(s => s.Id, s => s.Ring!));
        Assert.Empty(FleetLoader.AssignRings(project.Dir, project.Config()).Assigned);
    }

    [Fact]
    public void AssignRings_StoreListedByRing_IsNotLabelled()
    {
        var inventory = "stores:\n" + TempProject.StoreYaml("store-a") + TempProject.StoreYaml("store-b").Replace("      rollout-ring: canary\n", "")
            + TempProject.StoreYaml("store-c").Replace("      rollout-ring: canary\n", "");
        using var project = new TempProject(TempProject.ValidStack.Replace("      bake: 2h\n", "      bake: 2h\n      stores: [store-b]\n"), inventory);
        var assignment = FleetLoader.AssignRings(project.Dir, project.Config());
        Assert.Equal(["store-c"], assignment.Assigned.Keys);
        var model = project.Load().Model;
        Assert.Equal("early", model.Stores.Single(s => s.Id == "store-b").Ring);
        var written = InventoryReader.Read(project.InventoryPath(), "stores.yaml", []);
        Assert.Null(written.Single(s => s.Id == "store-b").Ring);
        Assert.NotNull(written.Single(s => s.Id == "store-c").Ring);
    }
}
