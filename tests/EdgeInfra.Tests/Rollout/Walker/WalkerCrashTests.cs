using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Rollout.Walker;

/// <summary>Kill the walker at every commit and at 20 random hub reads, rerun it, and compare with an uninterrupted run.</summary>
public sealed class WalkerCrashTests
{
    private sealed record Outcome(RolloutOutcome Result, string Phases, string Currents, string Decisions, string Applies, string Holds);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_KilledAtAnyStep_RerunEndsInTheUninterruptedFinalState(bool badRelease)
    {
        var expected = await RunWithKills(badRelease, killAtCommit: null, killAtRead: null);
        using (var probe = NewHarness(badRelease))
        {
            await RunToEnd(probe);
            var commits = probe.Applier.Commits.Count - 3;
            var reads = probe.Fleet.Reads;
            var random = new Random(20261123);
            var points = Enumerable.Range(1, commits).Select(c => ((int?)c, (int?)null))
                .Concat(Enumerable.Range(0, 20).Select(_ => ((int?)null, (int?)random.Next(1, reads + 1))));
            foreach (var (commit, read) in points)
            {
                var actual = await RunWithKills(badRelease, commit, read);
                Assert.True(expected == actual, $"killed at commit {commit} / read {read}:\nexpected {expected}\nactual   {actual}");
            }
        }
    }

    private static WalkerHarness NewHarness(bool badRelease)
    {
        var h = new WalkerHarness();
        if (badRelease)
            h.HealthVerdict = c => c.Ring.Name == "early" && c.RingReadyAt is not null && c.Now - c.RingReadyAt >= TimeSpan.FromMinutes(10)
                ? GateResult.Failed("health", "error rate 4% > 1%") : GateResult.Successful("health", "ok");
        return h;
    }

    private static async Task<Outcome> RunWithKills(bool badRelease, int? killAtCommit, int? killAtRead)
    {
        using var h = NewHarness(badRelease);
        var commits = 0;
        h.Applier.AfterCommit = what =>
        {
            if (++commits == killAtCommit) throw new SimulatedKill($"killed after {what}");
        };
        h.Fleet.KillOnRead = killAtRead;
        var result = await RunToEnd(h);
        if (killAtCommit is not null) Assert.True(commits >= killAtCommit, $"the run made {commits} commits; no kill at commit {killAtCommit}");
        if (killAtRead is not null) Assert.True(h.Fleet.Reads >= killAtRead, $"the run read the hub {h.Fleet.Reads} times; no kill at read {killAtRead}");

        var audit = h.Audit.Read();
        Assert.True(audit.Intact, string.Join("\n", audit.Problems));
        var decisions = audit.Entries.Select(e => e.Record)
            .Where(r => r.Action is AuditActions.Promote or AuditActions.Breach or AuditActions.Rollback or AuditActions.Complete or AuditActions.Apply)
            .Select(r => $"{r.Action}:{r.Ring}");
        foreach (var ring in result.State.Rings.Where(r => r.PromotedAt is not null))
            Assert.True(ring.PromotedAt - ring.ReadyAt >= h.Model.Rings.Single(s => s.Name == ring.Ring).Bake, $"{ring.Ring} skipped its bake");
        return new Outcome(result.Outcome,
            string.Join(",", result.State.Rings.Select(r => $"{r.Ring}={r.Phase}")),
            string.Join(",", h.Model.Rings.Select(r => $"{r.Name}={h.Applier.Current(r.Name)}")),
            string.Join(",", decisions),
            string.Join(",", h.Applier.Commits.Skip(3)),
            string.Join(",", h.Holds.List().Select(x => x.Item)));
    }

    private static async Task<RolloutResult> RunToEnd(WalkerHarness h)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await h.RunAsync();
            }
            catch (SimulatedKill) when (attempt < 3)
            {
                // the process died here; the next run of the same command starts from what it persisted
            }
        }
    }
}
