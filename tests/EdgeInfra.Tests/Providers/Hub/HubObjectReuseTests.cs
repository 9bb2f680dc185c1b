using System.Text;
using System.Text.Json;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Tests.Providers.Hub;

/// <summary>A list page parsed with the objects of earlier pages: an object whose namespace, name and resourceVersion
/// were read before is the object read before; anything else is parsed from the page.</summary>
public sealed class HubObjectReuseTests
{
    private static HubObjectReuse<HubCluster> NewReuse() => new(HubJsonContext.Default.HubCluster, HubJsonContext.Default.HubListMeta, c => c.Metadata);

    private static string Page(params (string Ns, string Name, string? Rv, string LastSeen)[] items) =>
        "{\"apiVersion\":\"fleet.cattle.io/v1alpha1\",\"items\":[" + string.Join(",", items.Select(i =>
            "{\"apiVersion\":\"fleet.cattle.io/v1alpha1\",\"kind\":\"Cluster\",\"metadata\":{\"name\":\"" + i.Name + "\",\"namespace\":\"" + i.Ns + "\"" +
            (i.Rv is null ? "" : ",\"resourceVersion\":\"" + i.Rv + "\"") + ",\"labels\":{\"a\":\"b\"}},\"spec\":{\"paused\":false}," +
            "\"status\":{\"agent\":{\"lastSeen\":\"" + i.LastSeen + "\"}}}")) +
        "],\"kind\":\"ClusterList\",\"metadata\":{\"continue\":\"next\",\"resourceVersion\":\"99\"}}";

    private static (List<HubCluster> Items, HubListMeta? Metadata) Parse(HubObjectReuse<HubCluster> reuse, string page)
    {
        reuse.BeginRead();
        return reuse.ParsePage(Encoding.UTF8.GetBytes(page));
    }

    [Fact]
    public void ParsePage_SameResourceVersion_HandsOutTheObjectReadBefore()
    {
        var reuse = NewReuse();
        var first = Parse(reuse, Page(("ws", "a", "1", "t1"), ("ws", "b", "2", "t1")));

        var second = Parse(reuse, Page(("ws", "a", "1", "t1"), ("ws", "b", "3", "t2")));

        Assert.Same(first.Items[0], second.Items[0]);
        Assert.NotSame(first.Items[1], second.Items[1]);
        Assert.Equal("t2", second.Items[1].Status?.Agent?.LastSeen);
        Assert.Equal("3", second.Items[1].Metadata.ResourceVersion);
        Assert.Equal((1L, 3L), reuse.Counts);
        Assert.Equal("next", second.Metadata?.Continue);
        Assert.Equal("99", second.Metadata?.ResourceVersion);
    }

    [Theory]
    [InlineData("other", "a", "1")]  // another namespace
    [InlineData("ws", "c", "1")]     // another name
    [InlineData("ws", "a", "10")]    // a resourceVersion that only starts like the one read
    [InlineData("ws", "a", null)]    // none at all
    public void ParsePage_AnotherIdentityOrVersion_ParsesThePage(string ns, string name, string? rv)
    {
        var reuse = NewReuse();
        var first = Parse(reuse, Page(("ws", "a", "1", "t1")));

        var second = Parse(reuse, Page((ns, name, rv, "t2")));

        Assert.NotSame(first.Items[0], second.Items[0]);
        Assert.Equal("t2", second.Items[0].Status?.Agent?.LastSeen);
        Assert.Equal(name, second.Items[0].Metadata.Name);
    }

    [Fact]
    public void ParsePage_EscapedResourceVersion_ParsesEveryTime()
    {
        var reuse = NewReuse();
        var page = Page(("ws", "a", "1", "t1")).Replace("\"resourceVersion\":\"1\"", "\"resourceVersion\":\"\\u0031\"", StringComparison.Ordinal);

        var first = Parse(reuse, page);
        var second = Parse(reuse, page);

        Assert.NotSame(first.Items[0], second.Items[0]);
        Assert.Equal("1", second.Items[0].Metadata.ResourceVersion);
    }

    [Fact]
    public void BeginRead_ObjectNotSeenForManyReads_IsForgotten()
    {
        var reuse = NewReuse();
        Parse(reuse, Page(("ws", "gone", "1", "t1"), ("ws", "kept", "1", "t1")));

        for (var i = 0; i < 64; i++) Parse(reuse, Page(("ws", "kept", "1", "t1")));

        Assert.Equal(1, reuse.Count);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"items\":{}}")]
    [InlineData("{\"items\":[null]}")]
    [InlineData("{\"items\":[{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\"},\"spec\":[1]}]}")]
    public void ParsePage_NotAListOfObjects_Throws(string page) =>
        Assert.ThrowsAny<JsonException>(() => Parse(NewReuse(), page));
}
