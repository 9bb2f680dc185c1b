using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Tests.Rollout.Walker;

namespace EdgeInfra.Tests.Drills;

/// <summary>Drill: the host clock jumps forward or back in the middle of a ring's bake.</summary>
/// <remarks>The walker reads time only through its injected <see cref="TimeProvider"/>; the drill jumps the harness's
/// virtual clock (the host clock cannot be changed safely). The bake is measured on the wall clock, from the moment
/// the ring became ready, so that it survives a restart of the rollout host: a jump back lengthens it by the jump, a
/// jump forward shortens it by the jump (docs/reliability.md). Whichever way, the walk must not crash, roll back, time
/// out or lose its audit chain, and every ring's recorded bake covers its configured bake.</remarks>
public sealed class ClockJumpWalkerDrillTests
{
    [Theory]
    [InlineData(-60)]
    [InlineData(-24 * 60)]
    [InlineData(45)]
    [InlineData(6 * 60)]
    public async Task RunAsync_ClockJumpsDuringTheBake_CompletesEveryRingWithItsBakeCoveredOnTheClock(int jumpMinutes)
    {
        using var h = new WalkerHarness();
        var jump = TimeSpan.FromMinutes(jumpMinutes);
        DateTimeOffset? jumpedAt = null;
        h.HealthVerdict = c =>
        {
            if (jumpedAt is null && c.Ring.Name == "early" && c.RingReadyAt is { } ready && c.Now - ready >= TimeSpan.FromMinutes(20))
            {
                h.Clock.Advance(jump);
                jumpedAt = h.Clock.GetUtcNow();
            }
            return GateResult.Successful("health", "ok");
        };

        var result = await h.RunAsync();

        Assert.NotNull(jumpedAt);
        Assert.Equal(RolloutOutcome.Completed, result.Outcome);
        Assert.Equal(["canary", "early", "all"], h.AuditEntries(AuditActions.Promote).Select(e => e.Record.Ring));
        Assert.Empty(h.AuditEntries(AuditActions.Rollback));
        var audit = h.Audit.Read();
        Assert.True(audit.Intact, string.Join("\n", audit.Problems));
        foreach (var ring in result.State.Rings)
        {
            var bake = h.Model.Rings.Single(r => r.Name == ring.Ring).Bake;
            Assert.True(ring.PromotedAt - ring.ReadyAt >= bake, $"{ring.Ring}: ready {ring.ReadyAt}, promoted {ring.PromotedAt}, bake {bake}");
        }
    }
}
