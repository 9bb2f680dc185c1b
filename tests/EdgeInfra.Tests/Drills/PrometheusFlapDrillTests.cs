using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Rollout.EndToEnd;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Drills;

/// <summary>Drill: the real Prometheus that gates a real-time lab rollout is killed and restarted (flaps) while the
/// first ring bakes. Missing data is never a pass and never a breach: the ring holds while Prometheus is gone, then
/// promotes on its answers once it is back, and the rollout completes without a rollback or a hold timeout.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PrometheusFlapDrillTests(RegistryFixture registries, ITestOutputHelper output)
{
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];

    [Fact]
    public async Task Rollout_PrometheusFlapsDuringTheBake_HoldsWhileItIsDownThenCompletes()
    {
        await using var lab = await RealTimeLab.StartAsync(20, registries);
        // A first-ring bake long enough for two outages; the other rings keep the lab's short bake.
        lab.Lab.Project.Edit(lab.Lab.Project.LabConfig, c => ReplaceFirst(c, "bake: 2s", "bake: 14s"));
        var baking = new LineWatcher(Rings[0], " gates ", "baking");

        var rollout = lab.RolloutAsync(baking);
        await baking.Seen.WaitAsync(TimeSpan.FromSeconds(60));
        var outages = new List<(DateTimeOffset Down, DateTimeOffset Up)>();
        for (var flap = 0; flap < 2; flap++)
        {
            var down = DateTimeOffset.UtcNow;
            lab.Prometheus.Stop();
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            await lab.Prometheus.RestartAsync();
            outages.Add((down, DateTimeOffset.UtcNow));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        var run = await rollout;
        output.WriteLine(run.Out);

        Assert.True(run.ExitCode == 0, run.ToString());
        var audit = await lab.Lab.AuditAsync();
        Assert.Equal(Rings, audit.Where(e => SmallLab.Str(e, "action") == "promote").Select(e => SmallLab.Str(e, "ring")));
        Assert.DoesNotContain(audit, e => SmallLab.Str(e, "action") is "rollback" or "breach" or "hold-timeout");
        // The ring held on its metric gates during the flaps (a gate interval after an outage at the latest).
        var holds = audit.Where(e => SmallLab.Str(e, "action") == "hold" && SmallLab.Str(e, "ring") == Rings[0])
            .Select(e => (Time: e.GetProperty("time").GetDateTimeOffset(), Reason: SmallLab.Str(e, "reason") ?? "")).ToList();
        Assert.Contains(holds, h => h.Reason.Contains("metrics:", StringComparison.Ordinal)
                                    && h.Time >= outages[0].Down && h.Time <= outages[^1].Up + TimeSpan.FromSeconds(5));
        var promoted = audit.Single(e => SmallLab.Str(e, "action") == "promote" && SmallLab.Str(e, "ring") == Rings[0]).GetProperty("time").GetDateTimeOffset();
        Assert.DoesNotContain(outages, o => promoted >= o.Down && promoted <= o.Up);
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }
}
