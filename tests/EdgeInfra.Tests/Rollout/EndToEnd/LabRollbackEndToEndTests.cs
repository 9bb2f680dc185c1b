using System.Globalization;
using System.Text.Json;
using EdgeInfra.StackInputs.Config;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>The lab's bad-release scenario end to end: a breach, the automatic rollback and the stores' recovery,
/// judged from the audit log and from <c>status</c> (the hub as the lab left it), not from the timeline's text.</summary>
public sealed class LabRollbackEndToEndTests(ITestOutputHelper output)
{
    /// <summary>ARCHITECTURE.md §8: the rollback commit within one gate interval of the breach, stores back within 5 minutes.</summary>
    private static readonly TimeSpan RecoveryTarget = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Rollout_BadRelease_RollbackCommitsWithinOneGateIntervalAndEveryOnlineStoreIsBackWithinFiveMinutes()
    {
        using var lab = await SmallLab.CreateAsync(30);
        var first = await lab.RolloutAsync();
        Assert.True(first.ExitCode == 0, first.ToString());
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");

        var bad = await lab.RolloutAsync("--scenario", "bad-release");

        Assert.True(bad.ExitCode == 1, bad.ToString());
        var audit = await lab.AuditAsync();
        var breach = Assert.Single(audit, e => SmallLab.Str(e, "action") == "breach");
        var breachAt = Time(breach);
        var rolledBackRings = SmallLab.Str(breach.GetProperty("data"), "rings")!.Split(',');
        var rollbacks = audit.Where(e => SmallLab.Str(e, "action") == "rollback").ToList();
        Assert.Equal(rolledBackRings.Order(), rollbacks.Select(e => SmallLab.Str(e, "ring")!).Order());
        foreach (var rollback in rollbacks)
        {
            var lag = Time(rollback) - breachAt;
            output.WriteLine($"{SmallLab.Str(rollback, "ring")}: rollback committed {lag} after the breach at {breachAt:u}");
            Assert.True(lag <= RolloutSettings.DefaultGateInterval, $"rollback of {SmallLab.Str(rollback, "ring")} landed {lag} after the breach");
        }

        // The walker stops watching as soon as every online store of the rolled-back rings is back, so the lab's
        // persisted now (what status reads at) is when recovery was observed.
        var status = await lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var root = JsonDocument.Parse(status.Out).RootElement;
        var now = DateTimeOffset.Parse(root.GetProperty("now").GetString()!, CultureInfo.InvariantCulture);
        output.WriteLine($"every online store back {now - breachAt} after the breach");
        Assert.True(now - breachAt <= RecoveryTarget, $"status reads at {now:u}, {now - breachAt} after the breach at {breachAt:u}\n{bad.Out}");
        foreach (var rollback in rollbacks)
        {
            var ring = SmallLab.Str(rollback, "ring")!;
            var commit = SmallLab.Str(rollback.GetProperty("data"), "commit")!;
            var ringStatus = root.GetProperty("rings").EnumerateArray().Single(r => SmallLab.Str(r, "ring") == ring);
            Assert.Equal(commit, SmallLab.Str(ringStatus, "revision"));
            var stores = root.GetProperty("stores").EnumerateArray().Where(s => SmallLab.Str(s, "ring") == ring).ToList();
            Assert.NotEmpty(stores);
            foreach (var store in stores.Where(s => SmallLab.Str(s, "state") != "offline"))
            {
                Assert.True(SmallLab.Str(store, "state") == "ready", store.ToString());
                Assert.Equal(commit, SmallLab.Str(store, "appliedRevision"));
            }
        }
        // The rings the rollback did not touch still count as on their own revisions although Fleet relabelled their
        // BundleDeployments with the rollback commit.
        var others = root.GetProperty("rings").EnumerateArray().Where(r => !rolledBackRings.Contains(SmallLab.Str(r, "ring"))).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, r => Assert.Subset(new HashSet<string> { "ready", "offline" }, r.GetProperty("states").EnumerateObject().Select(s => s.Name).ToHashSet()));
    }

    private static DateTimeOffset Time(JsonElement entry) =>
        DateTimeOffset.Parse(SmallLab.Str(entry, "time")!, CultureInfo.InvariantCulture);
}
