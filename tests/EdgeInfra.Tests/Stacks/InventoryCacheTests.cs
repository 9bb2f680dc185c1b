using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Stacks;

public sealed class InventoryCacheTests : IDisposable
{
    private readonly TempProject _project = new();
    private string CacheDir => Path.Combine(_project.Dir, ".edgeinfra", "cache", "inventory", TempProject.Stack);
    private string Inventory => _project.InventoryPath();

    public void Dispose() => _project.Dispose();

    private IReadOnlyList<EdgeInfra.Components.Model.Store> Read(List<string> problems) =>
        InventoryReader.Read(Inventory, "stacks/test/stores.yaml", problems, CacheDir);

    [Fact]
    public void Read_UnchangedFile_ReturnsTheSameStoresFromTheCache()
    {
        var parsed = InventoryReader.Read(Inventory, "stacks/test/stores.yaml", []);
        Read([]);
        Assert.Single(Directory.GetFiles(CacheDir));

        var cached = Read([]);

        Assert.Equal(parsed.Select(s => (s.Id, s.Location, string.Join(",", s.Labels))), cached.Select(s => (s.Id, s.Location, string.Join(",", s.Labels))));
    }

    [Fact]
    public void Read_FileChanged_ParsesAgainAndReplacesTheCache()
    {
        Read([]);
        File.WriteAllText(Inventory, File.ReadAllText(Inventory).Replace("store-c", "store-d"));

        var stores = Read([]);

        Assert.Contains(stores, s => s.Id == "store-d");
        Assert.DoesNotContain(stores, s => s.Id == "store-c");
        Assert.Single(Directory.GetFiles(CacheDir));
    }

    [Fact]
    public void Read_FileWithProblems_IsNotCachedAndReportsThemEveryTime()
    {
        File.WriteAllText(Inventory, File.ReadAllText(Inventory) + "  - id: broken\n    labels: [not, a, map]\n");

        var first = new List<string>();
        Read(first);
        var second = new List<string>();
        Read(second);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.False(Directory.Exists(CacheDir) && Directory.GetFiles(CacheDir).Length > 0);
    }

    [Fact]
    public void Read_CorruptCacheFile_IsIgnoredAndRewritten()
    {
        Read([]);
        var cacheFile = Assert.Single(Directory.GetFiles(CacheDir));
        File.WriteAllText(cacheFile, "[\"not json");

        var stores = Read([]);

        Assert.Equal(3, stores.Count);
        Assert.StartsWith("[\"", File.ReadAllText(cacheFile));
        Assert.Equal(3, Read([]).Count);
    }
}
