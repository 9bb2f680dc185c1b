using System.Text.Json;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>The hub's list pages over its cached indexes: the same answers as a fresh filter and sort of the state.</summary>
public sealed class HubListPagingTests
{
    [Fact]
    public async Task ListClusters_StateChangesBetweenPages_NextPageReadsCurrentStateAfterToken()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", SimulatorRolloutTests.Fleet("1.0.0", "  maxUnavailable: 8\n"));
        await using var lab = await SimLab.StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(10));

        var page1 = await lab.ListAsync("clusters", limit: 3);
        var token = page1.GetProperty("metadata").GetProperty("continue").GetString();
        // Between the pages: one store added after the token, one before it, one removed after it.
        var (added, addedContent) = SimFleetFiles.Cluster("store-035", SimFleetFiles.Labels("r1"));
        var (early, earlyContent) = SimFleetFiles.Cluster("store-005", SimFleetFiles.Labels("r1"));
        repo.Commit("change", new Dictionary<string, string?> { [added] = addedContent, [early] = earlyContent, ["hub/clusters/store-05.yaml"] = null });
        lab.Advance(TimeSpan.FromMinutes(1));
        var page2 = await lab.ListAsync("clusters", limit: 3, continueToken: token);
        var page3 = await lab.ListAsync("clusters", limit: 3, continueToken: page2.GetProperty("metadata").GetProperty("continue").GetString());
        var whole = await lab.ListAsync("clusters");

        Assert.Equal(["store-01", "store-02", "store-03"], Names(page1));
        Assert.Equal(["store-035", "store-04", "store-06"], Names(page2));
        Assert.Equal(2, page2.GetProperty("metadata").GetProperty("remainingItemCount").GetInt32());
        Assert.Equal(["store-07", "store-08"], Names(page3));
        Assert.False(page3.GetProperty("metadata").TryGetProperty("continue", out _));
        Assert.True(long.Parse(Rv(page2)) > long.Parse(Rv(page1)));
        Assert.Equal(["store-005", "store-01", "store-02", "store-03", "store-035", "store-04", "store-06", "store-07", "store-08"], Names(whole));
    }

    [Fact]
    public async Task ListBundleDeployments_SelectorPagesWhileStateStill_ReuseOneIndexAndPartitionTheList()
    {
        using var repo = new TestFleetRepo();
        repo.Commit("fleet", SimulatorRolloutTests.Fleet("1.0.0", "  maxUnavailable: 8\n"));
        await using var lab = await SimLab.StartAsync(repo);
        lab.Advance(TimeSpan.FromMinutes(10));
        const string selector = "fleet.cattle.io/managed=true,fleet.cattle.io/bundle-namespace=" + SimFleetFiles.Workspace;

        var whole = Keys(await lab.ListAsync("bundledeployments", ns: null, labelSelector: selector));
        var rebuilds = lab.Hub.ServingCacheRebuilds;
        var paged = new List<string>();
        string? token = null;
        do
        {
            var page = await lab.ListAsync("bundledeployments", ns: null, labelSelector: selector, limit: 3, continueToken: token);
            paged.AddRange(Keys(page));
            token = page.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
        }
        while (token is not null);

        Assert.Equal(8, whole.Count);
        Assert.Equal(whole, paged);
        Assert.Equal(whole.Order(StringComparer.Ordinal), whole);
        Assert.Equal(rebuilds, lab.Hub.ServingCacheRebuilds);
    }

    private static List<string> Names(JsonElement list) =>
        [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!)];

    private static List<string> Keys(JsonElement list) =>
        [.. list.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("metadata").GetProperty("namespace").GetString()}/{i.GetProperty("metadata").GetProperty("name").GetString()}")];

    private static string Rv(JsonElement list) => list.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
}
