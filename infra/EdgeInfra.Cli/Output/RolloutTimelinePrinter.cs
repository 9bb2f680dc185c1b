using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Cli.Output;

/// <summary>Prints the walker's timeline as it happens (time since the start and the clock's time: virtual in the lab)
/// and the summary at the end: per ring its stores, ready/offline/failed, durations, and the rollback if any.</summary>
internal sealed class RolloutTimelinePrinter(TextWriter output) : IRolloutTimeline
{
    private readonly Lock _gate = new();

    public void Write(TimelineEvent e)
    {
        var elapsed = string.Create(CultureInfo.InvariantCulture, $"+{(int)e.Elapsed.TotalHours:D2}:{e.Elapsed.Minutes:D2}:{e.Elapsed.Seconds:D2}");
        lock (_gate)
            output.WriteLine($"{elapsed} {e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {e.Ring ?? "-",-16} {e.Kind,-9} {e.Text}");
    }

    public static void WriteSummary(TextWriter output, RolloutReport report)
    {
        var result = report.Result;
        var state = result.State;
        output.WriteLine();
        output.WriteLine($"Rollout {state.Id} of {state.Release}: {Outcome(result)}");
        output.WriteLine($"  {"ring",-16} {"stores",6} {"ready",6} {"offline",8} {"failed",7} {"to ready",9} {"bake",8}  result");
        foreach (var ring in state.Rings)
        {
            var stores = report.RingStores.GetValueOrDefault(ring.Ring);
            int Count(string s) => ring.Observed.Values.Count(v => v == s);
            var toReady = ring.ReadyAt - ring.AppliedAt;
            var bake = (ring.PromotedAt ?? ring.RolledBackAt) - ring.ReadyAt;
            var outcome = ring.Phase switch
            {
                RingPhase.Promoted => "promoted",
                RingPhase.RolledBack when ring.RollbackRevision is not null =>
                    $"rolled back to v{ring.LastKnownGood} ({ring.LastKnownGoodRelease}), {Durations.Format(ring.RolledBackAt!.Value - state.BreachAt!.Value)} after the breach",
                RingPhase.RolledBack => "not rolled back: no earlier version",
                RingPhase.Pending => "not opened",
                var p => p.ToString().ToLowerInvariant(),
            };
            output.WriteLine($"  {ring.Ring,-16} {stores,6} {Count("ready") + Count("drifted"),6} {Count("offline"),8} {Count("failed"),7} " +
                             $"{(toReady is { } t ? Durations.Format(t) : "-"),9} {(bake is { } b ? Durations.Format(b) : "-"),8}  {outcome}");
        }
        if (state.Breach is not null)
            output.WriteLine($"  breach in {state.BreachRing} at {state.BreachAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: {state.Breach}; held: {string.Join(", ", state.HeldItems)}");
    }

    private static string Outcome(RolloutResult result) => result.Outcome switch
    {
        RolloutOutcome.Completed => "every ring reached the release",
        RolloutOutcome.RolledBack => $"ROLLED BACK: {result.Reason}",
        RolloutOutcome.HoldTimedOut => $"HOLD TIMEOUT: {result.Reason}",
        _ => $"STOPPED: {result.Reason}",
    };
}
