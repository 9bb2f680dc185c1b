using System.Collections.Immutable;
using System.Text;
using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Components;

public sealed class StoreRenderCacheTests
{
    private static readonly Store Budapest = new("store-budapest",
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["region"] = "central-europe", ["registry-zone"] = "eu-central", ["rollout-ring"] = "canary",
        }), new SourceLocation("stores.yaml", 3));

    private static readonly StoreRenderCache.StoreFiles Cached = new("cluster from the earlier run", "config from the earlier run");
    private static readonly StoreRenderCache.StoreFiles Fresh = new("cluster rendered now", "config rendered now");

    /// <summary>A cache saved after one store was rendered with <see cref="Cached"/> as its texts.</summary>
    private static string SavedCache(TempDirectory dir)
    {
        var path = dir.Combine("cache", "render", "lab");
        var first = StoreRenderCache.Load(path);
        Assert.Equal(Cached, first.Get(Budapest, "fleet-default", false, ["traefik"], () => Cached));
        first.Save();
        return path;
    }

    [Fact]
    public void Get_SameInputsAfterSave_ReturnsTheSavedTextsWithoutRendering()
    {
        using var dir = new TempDirectory();
        var cache = StoreRenderCache.Load(SavedCache(dir));

        var files = cache.Get(Budapest, "fleet-default", false, ["traefik"], () => Fresh);

        Assert.Equal(Cached, files);
        Assert.Equal((1, 0), cache.Counts);
        Assert.True(cache.IsReused(files.Cluster));
        Assert.False(cache.IsReused(new string(files.Cluster.AsSpan())));
    }

    [Fact]
    public void ReusedSchemaKeys_AfterAHit_NameTheSchemaCacheEntryOfThatCluster()
    {
        using var dir = new TempDirectory();
        var cache = StoreRenderCache.Load(SavedCache(dir));
        var prague = Budapest with { Id = "store-prague" };

        cache.Get(Budapest, "fleet-default", false, ["traefik"], () => Fresh);
        cache.Get(prague, "fleet-default", false, ["traefik"], () => Fresh);

        var expected = ValidatedContentCache.KeyOf(new RenderedFile(FleetRepoLayout.ClusterPath(Budapest.Id), Cached.Cluster));
        Assert.Equal([expected], cache.ReusedSchemaKeys());
    }

    public static TheoryData<string, Store, string, bool, string[]?> ChangedInputs => new()
    {
        { "label value", Budapest with { Labels = Budapest.Labels.SetItem("region", "western-europe") }, "fleet-default", false, ["traefik"] },
        { "label added", Budapest with { Labels = Budapest.Labels.Add("tier", "gold") }, "fleet-default", false, ["traefik"] },
        { "label key renamed, same bytes", Budapest with { Labels = Budapest.Labels.Remove("region").Add("regio", "ncentral-europe") }, "fleet-default", false, ["traefik"] },
        { "store id", Budapest with { Id = "store-prague" }, "fleet-default", false, ["traefik"] },
        { "fleet workspace", Budapest, "fleet-stores", false, ["traefik"] },
        { "paused", Budapest, "fleet-default", true, ["traefik"] },
        { "k3s components disabled", Budapest, "fleet-default", false, ["traefik", "servicelb"] },
        { "no k3s components disabled", Budapest, "fleet-default", false, null },
    };

    [Theory]
    [MemberData(nameof(ChangedInputs))]
    public void Get_AnyRenderedInputChanged_RendersAgain(string change, Store store, string workspace, bool paused, string[]? disable)
    {
        using var dir = new TempDirectory();
        var cache = StoreRenderCache.Load(SavedCache(dir));

        var files = cache.Get(store, workspace, paused, disable, () => Fresh);

        Assert.True(files == Fresh, change);
        Assert.Equal((0, 1), cache.Counts);
        Assert.False(cache.IsReused(files.Cluster));
    }

    [Fact]
    public void Load_CacheOfAnotherBuild_RendersEverythingAgain()
    {
        using var dir = new TempDirectory();
        var path = SavedCache(dir);
        var bytes = File.ReadAllBytes(path);
        var header = Encoding.UTF8.GetString(bytes, 0, Array.IndexOf(bytes, (byte)'\n'));
        var otherBuild = header.Replace(header.Split(' ')[1], Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(otherBuild), .. bytes.AsSpan(header.Length)]);

        var cache = StoreRenderCache.Load(path);

        Assert.Equal(Fresh, cache.Get(Budapest, "fleet-default", false, ["traefik"], () => Fresh));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(60)]
    public void Load_TornFile_IsAnEmptyCache(int cut)
    {
        using var dir = new TempDirectory();
        var path = SavedCache(dir);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^cut]);

        var cache = StoreRenderCache.Load(path);

        Assert.Equal(Fresh, cache.Get(Budapest, "fleet-default", false, ["traefik"], () => Fresh));
    }

    [Fact]
    public void Save_KeepsOnlyTheEntriesThisRunUsed()
    {
        using var dir = new TempDirectory();
        var path = SavedCache(dir);
        var prague = Budapest with { Id = "store-prague" };
        var second = StoreRenderCache.Load(path);
        second.Get(prague, "fleet-default", false, ["traefik"], () => Fresh);
        second.Save();

        var third = StoreRenderCache.Load(path);

        Assert.Equal(Fresh, third.Get(prague, "fleet-default", false, ["traefik"], () => Cached));
        Assert.Equal(Fresh, third.Get(Budapest, "fleet-default", false, ["traefik"], () => Fresh));
        Assert.Equal((1, 1), third.Counts);
    }
}
