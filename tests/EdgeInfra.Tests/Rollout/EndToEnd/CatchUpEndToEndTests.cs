using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Inventory;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>Offline catch-up per change class on the lab: 30 % of the stores drop off after the first release and stay
/// away through the second; the rollout completes, reports them offline (never failed), pauses them, and the catch-up
/// pass releases them only as their class allows.</summary>
public sealed class CatchUpEndToEndTests(ITestOutputHelper output)
{
    private const int Stores = 30;
    private const int Seed = 3;

    /// <summary>When the offline share returns: the scenario below, from the lab's start.</summary>
    private static readonly DateTimeOffset Return = EdgeInfra.Lab.LabHubOptions.DefaultStartTime + TimeSpan.FromHours(60);

    [Theory]
    [InlineData("immediate")]
    [InlineData("next-window")]
    [InlineData("hold-for-review")]
    public async Task Rollout_ThirtyPercentOfflineThroughARelease_TheyCatchUpOnlyAsTheirClassAllows(string changeClass)
    {
        using var lab = await SmallLab.CreateAsync(Stores, Seed);
        var clock = Stopwatch.StartNew();
        // Offline detection within minutes, so a ring applied ten minutes after its stores dropped off sees them offline.
        // The second release (pos-app is a next-window change) waits for the night in its first ring, so its later rings
        // open from the next morning on: 30 % drop off before then and come back after the walk ended (+47h), within the
        // day `catch-up --wait` waits.
        lab.UseCatchUpScenario(offlineHours: 44, posAppClass: changeClass == "next-window" ? null : changeClass);
        var first = await lab.RolloutAsync("--scenario", "catch-up");
        Assert.True(first.ExitCode == 0, first.ToString());
        // Only the second rollout's audit counts here.
        var firstEntries = (await lab.AuditAsync()).Count;

        // The second release changes both apps' deployments (the baseline's manifest too, not only its version label).
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.store-baseline.version", "1.1.0");
        lab.Project.Edit(Path.Combine(lab.Dir, "stacks", "apps", "store-baseline", "configmap.yaml"), c => c.Replace("\"30s\"", "\"60s\""));
        var second = await lab.RolloutAsync("--scenario", "catch-up");
        output.WriteLine(second.Out);
        Assert.True(second.ExitCode == 0, second.ToString());
        var paused = PausedClusters(lab);
        var audit = (await lab.AuditAsync()).Skip(firstEntries).ToList();
        var offlinePaused = audit.Where(e => SmallLab.Str(e, "action") == "catch-up-pause").SelectMany(Stores_).ToHashSet(StringComparer.Ordinal);
        var windowPaused = audit.Where(e => SmallLab.Str(e, "action") == "window-pause").SelectMany(Stores_).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(offlinePaused);
        await AssertNeverFailedAsync(lab);
        Assert.Matches($"awaiting catch-up: .*{changeClass} \\d+ \\(\\d+ paused\\)", second.Out);
        // Every store paused because it was offline is still paused (they come back after the walk); any other paused
        // store was paused online for its maintenance window and dropped off before the window opened: it waits too.
        Assert.Subset(paused, offlinePaused);
        var windowHeld = paused.Except(offlinePaused).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(windowPaused, windowHeld);
        // status --json says why each waits: offline when its ring was applied, or held online for its window.
        var causes = await CausesAsync(lab);
        Assert.Subset(causes.Keys.ToHashSet(StringComparer.Ordinal), paused);
        Assert.All(offlinePaused, id => Assert.Equal("offline", causes[id]));
        Assert.All(windowHeld, id => Assert.Equal("window", causes[id]));

        if (changeClass == "hold-for-review")
        {
            // Back online and inside their windows for hours, they still wait: only an operator releases them.
            var waiting = await lab.Project.Run("catch-up", "--stack", "lab", "--wait", "--json");
            Assert.True(waiting.ExitCode == 0, waiting.ToString());
            var awaiting = JsonDocument.Parse(waiting.Out).RootElement.GetProperty("awaiting").EnumerateArray().ToList();
            // Window-held stores were released by that pass as their windows opened; the offline ones wait for approval.
            Assert.Equal(offlinePaused.Order(StringComparer.Ordinal), awaiting.Select(a => SmallLab.Str(a, "store")!).Order(StringComparer.Ordinal));
            Assert.All(awaiting, a => Assert.Contains("awaiting approval", SmallLab.Str(a, "waiting")));
            Assert.Equal(offlinePaused, PausedClusters(lab));
            var status = await lab.Project.Run("status", "--stack", "lab", "--json");
            Assert.Contains("awaiting approval", status.Out);
            var approved = offlinePaused.Order(StringComparer.Ordinal).First();
            await lab.OkAsync("catch-up", "--stack", "lab", "--approve", approved);
            Assert.Equal(offlinePaused.Where(s => s != approved).ToHashSet(), PausedClusters(lab));
            await lab.OkAsync("catch-up", "--stack", "lab", "--all");
        }

        var run = await lab.Project.Run("catch-up", "--stack", "lab", "--wait", "--json");
        output.WriteLine(run.Out);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(JsonDocument.Parse(run.Out).RootElement.GetProperty("awaiting").EnumerateArray());
        Assert.Empty(PausedClusters(lab));

        audit = (await lab.AuditAsync()).Skip(firstEntries).ToList();
        var released = audit.Where(e => SmallLab.Str(e, "action") == "catch-up-release").ToList();
        var caughtUp = audit.Where(e => SmallLab.Str(e, "action") == "caught-up").ToList();
        Assert.Equal(offlinePaused.Order(StringComparer.Ordinal), released.SelectMany(Stores_).Order(StringComparer.Ordinal));
        Assert.Superset(offlinePaused, caughtUp.SelectMany(Stores_).ToHashSet());
        var windows = InventoryGenerator.Generate(Stores, Seed).ToDictionary(s => s.Id, MaintenanceWindow.Of);
        // The window-held stores that dropped off get the change only inside their window, whatever the catch-up class.
        var windowReleases = audit.Where(e => SmallLab.Str(e, "action") == "window-release" && Stores_(e).Any(windowHeld.Contains)).ToList();
        Assert.Subset(windowReleases.SelectMany(Stores_).ToHashSet(), windowHeld);
        foreach (var e in windowReleases)
        {
            var at = DateTimeOffset.Parse(SmallLab.Str(e, "time")!, CultureInfo.InvariantCulture);
            foreach (var store in Stores_(e).Where(windowHeld.Contains))
                Assert.True(windows[store]?.IsOpen(at) ?? true, $"{store} released at {at:u}, outside its window {windows[store]?.Describe()}");
        }
        foreach (var e in released)
        {
            var at = DateTimeOffset.Parse(SmallLab.Str(e, "time")!, CultureInfo.InvariantCulture);
            foreach (var store in Stores_(e))
            {
                if (changeClass == "immediate")
                    Assert.InRange(at, Return, Return + TimeSpan.FromMinutes(30)); // the moment it is back, window or not
                else if (changeClass == "next-window")
                    Assert.True(windows[store]?.IsOpen(at) ?? true, $"{store} released at {at:u}, outside its window {windows[store]?.Describe()}");
                else
                    Assert.Contains(audit, a => SmallLab.Str(a, "action") == "catch-up-approve" && Stores_(a).Contains(store)
                        && DateTimeOffset.Parse(SmallLab.Str(a, "time")!, CultureInfo.InvariantCulture) <= at);
            }
        }
        foreach (var e in caughtUp.Where(e => Stores_(e).Any(offlinePaused.Contains)))
        {
            var data = e.GetProperty("data");
            Assert.True(data.TryGetProperty("released", out _), e.ToString());
            Assert.True(DateTimeOffset.Parse(data.GetProperty("at").GetString()!, CultureInfo.InvariantCulture)
                        >= DateTimeOffset.Parse(data.GetProperty("released").GetString()!, CultureInfo.InvariantCulture));
        }
        await AssertNeverFailedAsync(lab);
        output.WriteLine($"{changeClass}: {paused.Count} paused, caught up, in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Store → the catch-up cause <c>status --json</c> gives it, for the stores awaiting catch-up.</summary>
    private static async Task<Dictionary<string, string>> CausesAsync(SmallLab lab)
    {
        var run = await lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("stores").EnumerateArray()
            .Where(s => s.TryGetProperty("catchUp", out var c) && c.ValueKind == JsonValueKind.Object)
            .ToDictionary(s => SmallLab.Str(s, "id")!, s => SmallLab.Str(s.GetProperty("catchUp"), "cause")!, StringComparer.Ordinal);
    }

    private static HashSet<string> PausedClusters(SmallLab lab) =>
        lab.FleetTree().Where(f => f.Key.StartsWith("hub/clusters/", StringComparison.Ordinal) && f.Value.Contains("paused: true", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f.Key)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Stores_(JsonElement e) =>
        e.TryGetProperty("stores", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().Select(x => x.GetString()!) : [];

    private static async Task AssertNeverFailedAsync(SmallLab lab)
    {
        var audit = await lab.AuditAsync();
        Assert.DoesNotContain(audit, e => SmallLab.Str(e, "action") == "observe" && (SmallLab.Str(e, "reason") ?? "").EndsWith("now failed", StringComparison.Ordinal));
        var status = await lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var states = JsonDocument.Parse(status.Out).RootElement.GetProperty("rings").EnumerateArray()
            .SelectMany(r => r.GetProperty("states").EnumerateObject().Select(s => s.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("failed", states);
    }
}
