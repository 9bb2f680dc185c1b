using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.Components.Yaml;
using EdgeInfra.Engine.Resources;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Components;

/// <summary>Timing tests run alone: on two cores, parallel test classes would be measured instead.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PerformanceCollection
{
    public const string Name = "Components performance";
}

[Collection(PerformanceCollection.Name)]
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void RenderCluster_TenThousandStores_Under300Milliseconds()
    {
        var stores = Enumerable.Range(0, 10_000).Select(i => TestFleet.Store($"store-{i:00000}", "all", $"r{i % 20}")).ToList();
        foreach (var s in stores.Take(200)) HubRenderer.Cluster(s, TestFleet.Settings); // warm up
        var best = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var sw = Stopwatch.StartNew();
            var bytes = 0L;
            foreach (var s in stores) bytes += HubRenderer.Cluster(s, TestFleet.Settings).Content.Length;
            sw.Stop();
            Assert.True(bytes > 10_000 * 200);
            if (sw.Elapsed < best) best = sw.Elapsed;
        }
        output.WriteLine($"10,000 Cluster files: {best.TotalMilliseconds:F0} ms");
        Assert.True(best < TimeSpan.FromMilliseconds(300), $"10,000 Cluster files took {best.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void BuildRing_TenThousandStores_UnderOneSecond()
    {
        var stores = Enumerable.Range(0, 10_000)
            .Select(i => TestFleet.Store($"store-{i:00000}", "all", $"r{i % 20}", tier: i % 13 == 0 ? "satellite" : "fiber")).ToImmutableArray();
        var overrides = Enumerable.Range(0, 200)
            .Select(i => TestFleet.Override($"site-{i}", "pos", OverrideScope.Site, $"store-{i * 37:00000}", new JsonObject { ["debug"] = true }))
            .Append(TestFleet.Override("r3", "pos", OverrideScope.Region, "r3", new JsonObject { ["replicas"] = 2 }))
            .ToImmutableArray();
        var model = new FleetModel("big", stores, [TestFleet.Canary with { Name = "all" }], [TestFleet.Pos(), TestFleet.Signage()],
            overrides, [TestFleet.EuZone], TestFleet.Settings);
        DesiredStack? stack = null;
        var best = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var sw = Stopwatch.StartNew();
            stack = FleetStackBuilder.BuildRing(model, "all", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret);
            sw.Stop();
            output.WriteLine($"10,000-store ring: {sw.Elapsed.TotalMilliseconds:F0} ms");
            if (sw.Elapsed < best) best = sw.Elapsed;
        }
        Assert.Equal(40_000 + 2 + 2 + 1 + 4, stack!.Resources.Length);
        Assert.True(best < TimeSpan.FromSeconds(1), $"10,000-store ring took {best.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Render_FiveThousandPairGroups_StaysFastAndExact()
    {
        var stores = Enumerable.Range(0, 10_000).Select(i => TestFleet.Store($"store-{i:00000}", "all", $"r{i % 20}")).ToImmutableArray();
        var overrides = Enumerable.Range(0, 10_000)
            .Select(i => TestFleet.Override($"o{i}", "pos", OverrideScope.Site, $"store-{i:00000}", new JsonObject { ["slot"] = i % 20 + 20 * (i / 40) }))
            .ToImmutableArray();
        var model = new FleetModel("big", stores, [TestFleet.Canary with { Name = "all" }], [TestFleet.Pos()], overrides, [TestFleet.EuZone], TestFleet.Settings);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var yaml = BundleRenderer.Render(model, model.Apps[0], model.Rings[0], TestFleet.Today)[0].Content;
        sw.Stop();
        var doc = YamlJsonReader.Read(yaml)!;
        Assert.Equal(5_000, doc["targetCustomizations"]!.AsArray().Count);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"took {sw.Elapsed.TotalMilliseconds:F0} ms");
    }
}
