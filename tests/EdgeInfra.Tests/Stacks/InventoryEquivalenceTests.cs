using System.Text;
using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Stacks;

public sealed class InventoryEquivalenceTests
{
    /// <summary>The stores as CSV: id plus one column per label key any store has.</summary>
    internal static string ToCsv(IEnumerable<Store> stores)
    {
        var list = stores.ToList();
        var keys = list.SelectMany(s => s.Labels.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("id," + string.Join(",", keys) + "\n");
        foreach (var s in list)
            sb.Append(s.Id).Append(',').Append(string.Join(",", keys.Select(k => Quote(s.Label(k) ?? "")))).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string v) => v.Contains(',') || v.Contains('"') ? $"\"{v.Replace("\"", "\"\"")}\"" : v;

    [Fact]
    public void Load_CsvAndYamlOfSameStores_GiveTheSameModel()
    {
        using var yaml = new TempProject();
        var fromYaml = yaml.Load().Model;
        using var csv = new TempProject(inventory: ToCsv(fromYaml.Stores), inventoryName: "stores.csv");
        File.Delete(csv.InventoryPath("stores.yaml"));
        var loaded = csv.Load();
        Assert.EndsWith("stores.csv", loaded.InventoryPath);
        var fromCsv = loaded.Model;
        Assert.Equal(fromYaml.Stores.Select(s => (s.Id, string.Join(";", s.Labels))), fromCsv.Stores.Select(s => (s.Id, string.Join(";", s.Labels))));
        Assert.Equal(["stacks/test/stores.csv:2", "stacks/test/stores.csv:3", "stacks/test/stores.csv:4"], fromCsv.Stores.Select(s => s.Location.ToString()));
    }

    [Fact]
    public void Read_CsvWithCommentsQuotesAndBlanks_ReadsLabelsAndLines()
    {
        var text = "# stores\nid,region,country\n\nstore-a, central ,hu\n\"store-b\",\"south\",\n";
        var problems = new List<string>();
        var stores = CsvInventoryReader.Read(new StringReader(text), "s.csv", problems);
        Assert.Empty(problems);
        Assert.Equal(["store-a", "store-b"], stores.Select(s => s.Id));
        Assert.Equal("central", stores[0].Region);
        Assert.False(stores[1].Labels.ContainsKey(StoreLabels.Country));
        Assert.Equal([4, 5], stores.Select(s => s.Location.Line));
    }

    [Theory]
    [InlineData("region,country\ncentral,hu\n", "s.csv:1: the header has no 'id' column")]
    [InlineData("id,region\nstore-a,central,extra\n", "s.csv:2: row has 3 cells, the header has 2")]
    [InlineData("id,region\n,central\n", "s.csv:2: store has no 'id'")]
    [InlineData("id,region,region\nstore-a,a,b\n", "s.csv:1: column 'region' appears twice")]
    public void Read_BadCsv_ReportsLine(string text, string expected)
    {
        var problems = new List<string>();
        CsvInventoryReader.Read(new StringReader(text), "s.csv", problems);
        Assert.Contains(expected, problems);
    }
}
