using System.Diagnostics;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>Whole rollouts in real time, gated on a real Prometheus (the Debian package) that scrapes the Fleet
/// simulator's per-store metrics every second: a good release promotes through every ring, a release that breaks one
/// region rolls back, and a Prometheus that stops answering holds the ring. The mirror gate runs against real registries.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PrometheusRolloutTests(RegistryFixture registries, ITestOutputHelper output)
{
    private const int Stores = 20;
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];

    [Fact]
    public async Task Rollout_GoodReleaseGatedOnRealPrometheus_PromotesEveryRing()
    {
        await using var lab = await RealTimeLab.StartAsync(Stores, registries);
        var clock = Stopwatch.StartNew();

        var run = await lab.RolloutAsync(new StringWriter());
        output.WriteLine($"good release: {clock.Elapsed.TotalSeconds:F1} s\n{run.Out}");

        Assert.True(run.ExitCode == 0, run.ToString());
        var audit = await lab.Lab.AuditAsync();
        Assert.Equal(Rings, audit.Where(e => SmallLab.Str(e, "action") == "promote").Select(e => SmallLab.Str(e, "ring")));
        // Every promotion was decided on Prometheus' answers: the metric gates name them.
        foreach (var ring in Rings)
            Assert.Matches($@"{ring}\s+gates\s+.*mirror ✓ .*metrics:error-rate ✓", run.Out);
        Assert.DoesNotContain(audit, e => SmallLab.Str(e, "action") is "rollback" or "hold-timeout");
    }

    [Fact]
    public async Task Rollout_BadReleaseInOneRegionOnRealPrometheus_RollsBackAndHoldsTheRelease()
    {
        await using var lab = await RealTimeLab.StartAsync(Stores, registries, scenario: "bad-release");
        var good = await lab.RolloutAsync(new StringWriter());
        Assert.True(good.ExitCode == 0, good.ToString());
        await lab.SetAsync("apps.pos-app.version", "2.5.0");
        await lab.WarmMirrorsAsync();

        var bad = await lab.RolloutAsync(new StringWriter());
        output.WriteLine(bad.Out);

        Assert.True(bad.ExitCode == 1, bad.ToString());
        var audit = await lab.Lab.AuditAsync();
        var breach = Assert.Single(audit, e => SmallLab.Str(e, "action") == "breach");
        Assert.Contains("error-rate", SmallLab.Str(breach, "reason"));
        Assert.Contains("pos-app=2.5.0", breach.GetProperty("data").GetProperty("held").GetString());
        Assert.Contains(audit, e => SmallLab.Str(e, "action") == "rollback" && SmallLab.Str(e, "reason")!.Contains("2.4.1", StringComparison.Ordinal));
        var up = await lab.Lab.Project.Run("up", "--stack", "lab", "--ring", Rings[0], "--yes");
        Assert.True(up.ExitCode != 0, up.ToString());
        Assert.Contains("pos-app=2.5.0 held by", up.Out + up.Error);
    }

    [Fact]
    public async Task Rollout_MirrorsLackTheReleaseImage_HoldsUntilWarmedThenResumesToCompletion()
    {
        await using var lab = await RealTimeLab.StartAsync(Stores, registries, warmMirrors: false);

        var cold = await lab.RolloutAsync(new StringWriter());
        output.WriteLine(cold.Out);

        Assert.True(cold.ExitCode == 1, cold.ToString());
        Assert.Contains("mirror: ", cold.Error);
        Assert.Contains("missing sha256:", cold.Error);
        Assert.Contains("run: edgeinfra mirror warm --stack lab --ring retail-region-1", cold.Error);
        var audit = await lab.Lab.AuditAsync();
        Assert.DoesNotContain(audit, e => SmallLab.Str(e, "action") == "promote");

        await lab.WarmMirrorsAsync();
        var warm = await lab.RolloutAsync(new StringWriter());

        Assert.True(warm.ExitCode == 0, warm.ToString());
        Assert.Equal(Rings, (await lab.Lab.AuditAsync()).Where(e => SmallLab.Str(e, "action") == "promote").Select(e => SmallLab.Str(e, "ring")));
    }

    [Fact]
    public async Task Rollout_PrometheusStoppedMidRollout_HoldsTheRingInconclusive()
    {
        await using var lab = await RealTimeLab.StartAsync(Stores, registries);
        var watched = new LineWatcher($"{Rings[0]}", " promote ");

        var rollout = lab.RolloutAsync(watched);
        await watched.Seen.WaitAsync(TimeSpan.FromSeconds(60));
        lab.Prometheus.Stop();
        var run = await rollout;
        output.WriteLine(run.Out);

        Assert.True(run.ExitCode == 1, run.ToString());
        var audit = await lab.Lab.AuditAsync();
        Assert.Equal([Rings[0]], audit.Where(e => SmallLab.Str(e, "action") == "promote").Select(e => SmallLab.Str(e, "ring")));
        Assert.DoesNotContain(audit, e => SmallLab.Str(e, "action") == "rollback");
        var timeout = Assert.Single(audit, e => SmallLab.Str(e, "action") == "hold-timeout");
        Assert.Equal(Rings[1], SmallLab.Str(timeout, "ring"));
        Assert.Matches(@"(?i)prometheus|unreachable|connection refused", SmallLab.Str(timeout, "reason"));
    }
}
