using System.Globalization;
using System.Text.Json;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Inventory;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>Maintenance windows enforced per store on the lab: a <c>next-window</c> release after a first one reaches
/// every store only inside its own window, in its own time zone, whether it was online when its ring opened or offline
/// and caught up later.</summary>
public sealed class WindowEndToEndTests(ITestOutputHelper output)
{
    private const int StoreCount = 30;
    private const int Seed = 3;

    [Fact]
    public async Task Rollout_NextWindowReleaseWithStoresOffline_EveryStoreAppliesItInsideItsOwnWindow()
    {
        using var lab = await SmallLab.CreateAsync(StoreCount, Seed);
        // 30 % drop off while the second release waits in its first ring and stay away through the later rings' applies.
        lab.UseCatchUpScenario(offlineHours: 40);
        var first = await lab.RolloutAsync("--scenario", "catch-up");
        Assert.True(first.ExitCode == 0, first.ToString());
        var secondStart = (await lab.AuditAsync()).Count;

        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.4.2"); // next-window, the default
        var second = await lab.RolloutAsync("--scenario", "catch-up");
        output.WriteLine(second.Out);
        Assert.True(second.ExitCode == 0, second.ToString());
        var caughtUp = await lab.Project.Run("catch-up", "--stack", "lab", "--wait", "--json");
        Assert.True(caughtUp.ExitCode == 0, caughtUp.ToString());
        Assert.Empty(JsonDocument.Parse(caughtUp.Out).RootElement.GetProperty("awaiting").EnumerateArray());

        var audit = (await lab.AuditAsync()).Skip(secondStart).ToList();
        var windows = InventoryGenerator.Generate(StoreCount, Seed).ToDictionary(s => s.Id, MaintenanceWindow.Of);
        var heldForWindow = StoresOf(audit, "window-pause").ToHashSet(StringComparer.Ordinal);
        var heldOffline = StoresOf(audit, "catch-up-pause").ToHashSet(StringComparer.Ordinal);
        // The release starts in the lab's morning: most stores are outside their night-time windows, some were offline.
        Assert.True(heldForWindow.Count >= StoreCount / 2, $"only {heldForWindow.Count} store(s) paused for their window");
        Assert.NotEmpty(heldOffline);

        var applying = audit.Where(e => Action(e) == "observe" && e.GetProperty("data").GetProperty("state").GetString() == "applying").ToList();
        Assert.NotEmpty(applying);
        var checkedStores = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in applying.Concat(audit.Where(e => Action(e) is "window-release" or "catch-up-release")))
        {
            var at = Time(e);
            foreach (var store in Stores(e))
            {
                checkedStores.Add(store);
                Assert.True(windows[store]?.IsOpen(at) ?? true,
                    $"{Action(e)} of {store} at {at:u}, outside its window {windows[store]?.Describe()} " +
                    $"({TimeZoneInfo.ConvertTime(at, windows[store]!.Zone):HH:mm} local)");
            }
        }
        // Every store held back got the release through a release inside its window, and every one was delivered.
        Assert.Equal(heldForWindow.Order(StringComparer.Ordinal), StoresOf(audit, "window-release").Order(StringComparer.Ordinal));
        Assert.Equal(heldOffline.Order(StringComparer.Ordinal), StoresOf(audit, "catch-up-release").Order(StringComparer.Ordinal));
        Assert.Subset(checkedStores, heldOffline);
        Assert.Equal(heldForWindow.Concat(StoresOf(audit, "window-pause", "released")).Order(StringComparer.Ordinal),
            StoresOf(audit, "window-delivered").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(lab.FleetTree(), f => f.Key.StartsWith("hub/clusters/", StringComparison.Ordinal) && f.Value.Contains("paused: true", StringComparison.Ordinal));
    }

    private static string? Action(JsonElement e) => SmallLab.Str(e, "action");

    private static DateTimeOffset Time(JsonElement e) => DateTimeOffset.Parse(SmallLab.Str(e, "time")!, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Stores(JsonElement e) =>
        e.TryGetProperty("stores", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().Select(x => x.GetString()!) : [];

    /// <summary>The stores of every entry of <paramref name="action"/>, or, with <paramref name="dataKey"/>, those its data lists.</summary>
    private static IEnumerable<string> StoresOf(List<JsonElement> audit, string action, string? dataKey = null) =>
        audit.Where(e => Action(e) == action).SelectMany(e => dataKey is null
            ? Stores(e)
            : e.TryGetProperty("data", out var d) && d.TryGetProperty(dataKey, out var v) && v.GetString() is { Length: > 0 } list
                ? list.Split(',')
                : []);
}
