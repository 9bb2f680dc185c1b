using System.Text.Json;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;
using EdgeInfra.Tests.Rollout.EndToEnd;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Releases;

/// <summary>A catch-up releases stores into what their ring runs: the versions and digests the ring was applied at,
/// whatever the stack's config or the registry's tags say since. The lab's pos-app image is served by a real
/// docker-registry (<c>edge-infra:registries</c>).</summary>
[Collection(RegistryCollection.Name)]
public sealed class CatchUpReleaseTests(RegistryFixture registries, ITestOutputHelper output)
{
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];

    [Fact]
    public async Task CatchUp_TagMovedThenConfigBumpedSinceTheApply_ReleasesStoresWithoutChangingAnyBundle()
    {
        using var lab = await SmallLab.CreateAsync(30, 3);
        var repo = RegistryFixture.NewRepository("edge");
        LabImageRegistry.Use(lab.Project, repo, registries.Upstream.Url);
        await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.4.1");
        var applied = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.4.2");
        // 30 % drop off after the first release and stay away through the second; coming back, they wait for approval.
        lab.UseCatchUpScenario(offlineHours: 44, posAppClass: "hold-for-review");
        var first = await lab.RolloutAsync("--scenario", "catch-up");
        Assert.True(first.ExitCode == 0, first.ToString());
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.4.2");
        var second = await lab.RolloutAsync("--scenario", "catch-up");
        output.WriteLine(second.Out);
        Assert.True(second.ExitCode == 0, second.ToString());
        var pauses = (await lab.AuditAsync()).Where(e => SmallLab.Str(e, "action") == "catch-up-pause").ToList();
        var (store, ring) = pauses.Select(e => (e.GetProperty("stores")[0].GetString()!, SmallLab.Str(e, "ring")!)).First();

        // The tag moves and another ring is applied at the new bytes: the newest digest recorded for 2.4.2 is no longer
        // the one the paused store's ring runs.
        var moved = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.4.2", layerBytes: 999);
        var other = Rings.First(r => r != ring);
        await lab.OkAsync("up", "--stack", "lab", "--ring", other, "--yes");
        var bundles = Bundles(lab);
        Assert.Contains($"digest: \"{moved.Digest}\"", bundles[$"apps/pos-app/{other}/fleet.yaml"]);
        Assert.Contains($"digest: \"{applied.Digest}\"", bundles[$"apps/pos-app/{ring}/fleet.yaml"]);

        await lab.OkAsync("catch-up", "--stack", "lab", "--approve", store);

        Assert.DoesNotContain(store, PausedClusters(lab));
        AssertUnchanged(bundles, Bundles(lab));

        // A version bumped in config and not rolled out reaches no ring through a catch-up either, nor through the
        // release of a store the walk paused for its maintenance window (it dropped off before the window opened).
        var bumped = (await lab.AuditAsync()).Count;
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        await lab.OkAsync("catch-up", "--stack", "lab", "--all");
        var rest = await lab.Project.Run("catch-up", "--stack", "lab", "--wait", "--json");

        Assert.True(rest.ExitCode == 0, rest.ToString());
        Assert.Empty(JsonDocument.Parse(rest.Out).RootElement.GetProperty("awaiting").EnumerateArray());
        Assert.Empty(PausedClusters(lab));
        AssertUnchanged(bundles, Bundles(lab));
        var released = (await lab.AuditAsync()).Where(e => SmallLab.Str(e, "action") == "catch-up-release").ToList();
        Assert.Equal(pauses.SelectMany(Stores).Order(StringComparer.Ordinal), released.SelectMany(Stores).Order(StringComparer.Ordinal));
        Assert.All(released, e => Assert.Contains("pos-app=2.4.2", SmallLab.Str(e, "release")));
        var windowReleased = (await lab.AuditAsync()).Skip(bumped).Where(e => SmallLab.Str(e, "action") == "window-release").ToList();
        Assert.NotEmpty(windowReleased);
        Assert.All(windowReleased, e => Assert.Contains("pos-app=2.4.2", SmallLab.Str(e, "release")));
    }

    /// <summary>Names each bundle file that differs, with both texts, rather than two truncated dictionaries.</summary>
    private static void AssertUnchanged(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        var changed = before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(changed.Count == 0, string.Join("\n", changed.Select(k => $"{k} changed:\n--- before\n{before.GetValueOrDefault(k)}\n--- after\n{after.GetValueOrDefault(k)}")));
    }

    /// <summary>Every app bundle file of every ring in the fleet repo.</summary>
    private static Dictionary<string, string> Bundles(SmallLab lab) =>
        lab.FleetTree().Where(f => f.Key.StartsWith("apps/", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static HashSet<string> PausedClusters(SmallLab lab) =>
        lab.FleetTree().Where(f => f.Key.StartsWith("hub/clusters/", StringComparison.Ordinal) && f.Value.Contains("paused: true", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f.Key)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Stores(JsonElement e) =>
        e.TryGetProperty("stores", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().Select(x => x.GetString()!) : [];
}
