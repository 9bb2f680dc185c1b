using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Stacks;

public sealed class YamlInventoryReaderTests
{
    /// <summary>Big enough (over 256 KB) for the chunked parallel read.</summary>
    private static readonly string Big = InventoryGenerator.ToYaml(InventoryGenerator.Generate(3000, 21), ["big", "inventory"]);

    [Fact]
    public void Read_BigInventory_ParallelReadEqualsSequentialWithLines()
    {
        Assert.True(Big.Length > 256 * 1024);
        var problems = new List<string>();
        var parallel = YamlInventoryReader.ReadParallel(Big, "big.yaml");
        Assert.NotNull(parallel);
        var sequential = YamlInventoryReader.Read(new StringReader(Big), "big.yaml", problems);
        Assert.Empty(problems);
        Assert.Equal(3000, parallel.Count);
        Assert.Equal(sequential.Select(s => (s.Id, s.Location, string.Join(";", s.Labels))), parallel.Select(s => (s.Id, s.Location, string.Join(";", s.Labels))));
        Assert.Equal(4, parallel[0].Location.Line);
        Assert.Equal(4 + 12 * 2999, parallel[^1].Location.Line);
    }

    [Fact]
    public void Read_BigInventoryWithProblems_ReportsExactlyAsSequential()
    {
        var text = Big.Replace("  - id: store-hu-0007\n    labels:\n", "  - id: store-hu-0007\n    labels:\n      region: twice\n");
        var parallelProblems = new List<string>();
        var sequentialProblems = new List<string>();
        Assert.Null(YamlInventoryReader.ReadParallel(text, "big.yaml"));
        YamlInventoryReader.Read(text, "big.yaml", parallelProblems);
        YamlInventoryReader.Read(new StringReader(text), "big.yaml", sequentialProblems);
        Assert.Single(parallelProblems);
        Assert.Equal(sequentialProblems, parallelProblems);
    }

    [Theory]
    [InlineData("- id: store-a\n  labels: {region: x}\n")]
    [InlineData("stores:\n- id: store-a\n  labels:\n    region: x\n")]
    [InlineData("stores: [{id: store-a, labels: {region: x}}]\n")]
    public void Read_OtherListShapes_ReadTheSameStore(string yaml)
    {
        var problems = new List<string>();
        var store = Assert.Single(YamlInventoryReader.Read(yaml, "s.yaml", problems));
        Assert.Empty(problems);
        Assert.Equal(("store-a", "x"), (store.Id, store.Region));
    }
}
