using System.Globalization;
using System.Text.Json;
using EdgeInfra.Components.Sharding;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>The lab on two Fleet controller shards: each ring is delivered by one GitRepo per shard, the gates read
/// every shard, and the bad release is rolled back on every shard of every ring it reached.</summary>
public sealed class ShardedLabRolloutTests(ITestOutputHelper output)
{
    private static readonly string[] Shards = ["shard0", "shard1"];

    [Fact]
    public async Task Rollout_BadReleaseOnTwoShards_RolledBackOnEveryShardAndEveryOnlineStoreBackOnTheLastKnownGood()
    {
        using var lab = await SmallLab.CreateAsync(200);
        lab.Project.Edit(lab.Project.LabConfig, c => c
            .Replace("    pollingInterval: 15s\n", "    pollingInterval: 15s\n    shards: 2\n")
            .Replace("      readyTime: 15s", "      controllerThroughput: 200\n      readyTime: 15s"));

        var first = await lab.RolloutAsync();
        Assert.True(first.ExitCode == 0, first.ToString());
        var tree = lab.FleetTree();
        var rings = tree.Keys.Where(k => k.StartsWith("hub/clustergroups/", StringComparison.Ordinal) && !k.Contains("-shard", StringComparison.Ordinal))
            .Select(k => Path.GetFileNameWithoutExtension(k)).ToList();
        Assert.Equal(3, rings.Count);
        foreach (var ring in rings)
        {
            Assert.DoesNotContain($"hub/gitrepos/{ring}.yaml", tree.Keys);
            foreach (var shard in Shards)
                Assert.Contains($"{FleetSharding.ShardRefLabel}: {shard}", tree[$"hub/gitrepos/{ring}-{shard}.yaml"], StringComparison.Ordinal);
        }
        var shardOf = ShardOfStores(tree);
        Assert.Equal(200, shardOf.Count);
        Assert.Equal(Shards, shardOf.Values.Distinct().Order(StringComparer.Ordinal));

        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        var bad = await lab.RolloutAsync("--scenario", "bad-release");

        Assert.True(bad.ExitCode == 1, bad.ToString());
        var audit = await lab.AuditAsync();
        var breach = Assert.Single(audit, e => SmallLab.Str(e, "action") == "breach");
        var rolledBack = SmallLab.Str(breach.GetProperty("data"), "rings")!.Split(',');
        var rollbacks = audit.Where(e => SmallLab.Str(e, "action") == "rollback").ToList();
        Assert.Equal(rolledBack.Order(), rollbacks.Select(e => SmallLab.Str(e, "ring")!).Order());

        // Every shard's bundle of every rolled-back ring is back on the last known good release in the fleet repo ...
        var after = lab.FleetTree();
        foreach (var ring in rolledBack)
            foreach (var shard in Shards)
                Assert.Contains("tag: \"2.4.1\"", after[$"apps/pos-app/{ring}/{shard}/fleet.yaml"], StringComparison.Ordinal);

        // ... and on the hub: status (read across every shard's GitRepo) has each online store of those rings ready on
        // the rollback commit, stores of both shards among them.
        var status = await lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var root = JsonDocument.Parse(status.Out).RootElement;
        var recovered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rollback in rollbacks)
        {
            var ring = SmallLab.Str(rollback, "ring")!;
            var commit = SmallLab.Str(rollback.GetProperty("data"), "commit")!;
            foreach (var store in root.GetProperty("stores").EnumerateArray().Where(s => SmallLab.Str(s, "ring") == ring && SmallLab.Str(s, "state") != "offline"))
            {
                Assert.True(SmallLab.Str(store, "state") == "ready", store.ToString());
                Assert.Equal(commit, SmallLab.Str(store, "appliedRevision"));
                recovered.Add(shardOf[SmallLab.Str(store, "id")!]);
            }
        }
        output.WriteLine($"rolled back {string.Join(", ", rolledBack)}; recovered stores on {string.Join(", ", recovered.Order(StringComparer.Ordinal))}; " +
                         $"status at {DateTimeOffset.Parse(root.GetProperty("now").GetString()!, CultureInfo.InvariantCulture):u}");
        Assert.Equal(Shards, recovered.Order(StringComparer.Ordinal));
    }

    /// <summary>Each store's shard as its Cluster file in the fleet repo labels it.</summary>
    private static Dictionary<string, string> ShardOfStores(IReadOnlyDictionary<string, string> tree)
    {
        var shards = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, content) in tree.Where(f => f.Key.StartsWith("hub/clusters/", StringComparison.Ordinal)))
        {
            var line = content.Split('\n').Single(l => l.TrimStart().StartsWith(FleetSharding.StoreShardLabel + ":", StringComparison.Ordinal));
            shards[Path.GetFileNameWithoutExtension(path)] = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        return shards;
    }
}
