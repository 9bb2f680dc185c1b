using System.Globalization;
using System.Text.Json;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Inventory;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>A fleet's first rollout on the lab while 30 % of its stores have not registered with the hub yet (their
/// devices come up a day later): no Cluster exists before the ring's commit creates them, so none can be seen offline.
/// Every Cluster is created paused; the stores whose agents register while their ring is walked take the release as
/// online stores would, the others never receive it, count neither failed nor against the gates, and are released by
/// their catch-up class once their agents check in.</summary>
public sealed class FirstRolloutEndToEndTests(ITestOutputHelper output)
{
    private const int StoreCount = 30;
    private const int Seed = 3;

    /// <summary>When the late stores' agents first check in: the scenario below, from the lab's start.</summary>
    private static readonly DateTimeOffset Registration = EdgeInfra.Lab.LabHubOptions.DefaultStartTime + TimeSpan.FromHours(30);

    [Theory]
    [InlineData("immediate")]
    [InlineData("next-window")]
    public async Task Rollout_FirstReleaseWithStoresNotRegisteredYet_TheyGetItOnlyWhenReleasedByTheirClassAfterRegistering(string changeClass)
    {
        using var lab = await SmallLab.CreateAsync(StoreCount, Seed);
        lab.Project.Edit(lab.Project.LabConfig, c => c
            .Replace("  edge-infra:lab:\n", "  edge-infra:rollout:\n    offlineAfter: 5m\n" +
                (changeClass == "next-window" ? "" : $"    catchUp:\n      pos-app: {changeClass}\n") + "  edge-infra:lab:\n")
            // From the lab's start: a Cluster created in that span waits for its agent until the span ends.
            .Replace("      offline-30:", "      late-registration:\n        offline:\n          - share: 0.3\n            duration: 30h\n      offline-30:"));

        var rollout = await lab.RolloutAsync("--scenario", "late-registration");
        output.WriteLine(rollout.Out);
        Assert.True(rollout.ExitCode == 0, rollout.ToString()); // the gates neither failed nor held out on them
        var audit = await lab.AuditAsync();
        var all = InventoryGenerator.Generate(StoreCount, Seed).Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
        // Nothing was on the hub before the first commit: every store's Cluster was created paused.
        Assert.Equal(all, StoresOf(audit, "registration-pause").Order(StringComparer.Ordinal));
        var late = PausedClusters(lab);
        Assert.InRange(late.Count, 1, StoreCount / 2);
        var joined = StoresOf(audit, "registration-release").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(all, joined.Concat(late).Order(StringComparer.Ordinal));
        Assert.Empty(joined.Intersect(late));

        // The late stores were never handed the release: no applying or ready observation, no deployment ever staged
        // to their agents (attempted revision), and no failure anywhere.
        Assert.DoesNotContain(audit, e => Action(e) == "observe" && Stores(e).Any(late.Contains) &&
                                          e.GetProperty("data").GetProperty("state").GetString() is not ("pending" or "offline"));
        var status = await StatusAsync(lab);
        foreach (var store in late)
        {
            var s = status[store];
            Assert.Equal("offline", SmallLab.Str(s, "state"));
            Assert.Null(SmallLab.Str(s, "attemptedRevision"));
            Assert.Null(SmallLab.Str(s, "lastSeen"));
            // Silent past its offline threshold, it waits as an offline store does.
            Assert.Equal(("offline", changeClass), (SmallLab.Str(s.GetProperty("catchUp"), "cause"), SmallLab.Str(s.GetProperty("catchUp"), "class")));
        }
        Assert.DoesNotContain(status.Values, s => SmallLab.Str(s, "state") == "failed");
        var text = await lab.Project.Run("status", "--stack", "lab");
        Assert.Contains($"Awaiting catch-up (offline {late.Count}; never failed)", text.Out);
        Assert.All(joined, id => Assert.Equal("ready", SmallLab.Str(status[id], "state")));

        // A day later their agents register; the catch-up releases them as their class allows.
        var run = await lab.Project.Run("catch-up", "--stack", "lab", "--wait", "--timeout", "48h", "--json");
        output.WriteLine(run.Out);
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonDocument.Parse(run.Out).RootElement;
        Assert.Empty(report.GetProperty("awaiting").EnumerateArray());
        // The last pass's report: the stores it saw catch up, each as an offline one.
        var lastCaughtUp = report.GetProperty("caughtUp").EnumerateArray().ToList();
        Assert.NotEmpty(lastCaughtUp);
        Assert.All(lastCaughtUp, c => Assert.True(SmallLab.Str(c, "cause") == "offline" && late.Contains(SmallLab.Str(c, "store")!), c.ToString()));
        Assert.Empty(PausedClusters(lab));
        audit = await lab.AuditAsync();
        var releases = audit.Where(e => Action(e) == "catch-up-release").ToList();
        Assert.Equal(late.Order(StringComparer.Ordinal), releases.SelectMany(Stores).Order(StringComparer.Ordinal));
        var windows = InventoryGenerator.Generate(StoreCount, Seed).ToDictionary(s => s.Id, MaintenanceWindow.Of);
        foreach (var e in releases)
        {
            var at = Time(e);
            Assert.True(at >= Registration, $"released at {at:u}, before the agents registered ({Registration:u})");
            foreach (var store in Stores(e))
            {
                if (changeClass == "immediate")
                    Assert.True(at <= Registration + TimeSpan.FromMinutes(30), $"{store} released at {at:u}, long after it registered");
                else
                    Assert.True(windows[store]?.IsOpen(at) ?? true, $"{store} released at {at:u}, outside its window {windows[store]?.Describe()}");
            }
        }
        Assert.Subset(StoresOf(audit, "caught-up").ToHashSet(StringComparer.Ordinal), late);
        status = await StatusAsync(lab);
        Assert.All(all, id => Assert.Equal("ready", SmallLab.Str(status[id], "state")));
    }

    private static async Task<Dictionary<string, JsonElement>> StatusAsync(SmallLab lab)
    {
        var run = await lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        // Without --ring or --store the list holds every store of an opened ring.
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("stores").EnumerateArray()
            .ToDictionary(s => SmallLab.Str(s, "id")!, s => s.Clone(), StringComparer.Ordinal);
    }

    private static HashSet<string> PausedClusters(SmallLab lab) =>
        lab.FleetTree().Where(f => f.Key.StartsWith("hub/clusters/", StringComparison.Ordinal) && f.Value.Contains("paused: true", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f.Key)).ToHashSet(StringComparer.Ordinal);

    private static string? Action(JsonElement e) => SmallLab.Str(e, "action");

    private static DateTimeOffset Time(JsonElement e) => DateTimeOffset.Parse(SmallLab.Str(e, "time")!, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Stores(JsonElement e) =>
        e.TryGetProperty("stores", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().Select(x => x.GetString()!) : [];

    private static IEnumerable<string> StoresOf(List<JsonElement> audit, string action) => audit.Where(e => Action(e) == action).SelectMany(Stores);
}
