using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Walker;

/// <summary>One store awaiting catch-up and how it stands now (null when the hub could not be read).</summary>
public sealed record CatchUpItem(CatchUpEntry Entry, StoreStatus? Status)
{
    /// <summary>Why it still waits, in the words <c>status</c> and <c>catch-up</c> print.</summary>
    public string Waiting(DateTimeOffset now, Store? store) => !Entry.Paused
        ? Entry.ReleasedAt is null ? "not paused: takes the change when back" : "released: applying"
        : Entry.Cause == CatchUpCause.Unregistered && Status is not { Registered: true }
            ? "paused: not registered with the hub yet (released by policy once its agent checks in)"
        : CatchUpPolicy.Decide(Entry.Class, Entry.Paused, Entry.Approved, Status?.State ?? StoreState.Offline,
            store is null ? null : MaintenanceWindow.Of(store), now) switch
        {
            CatchUpDecision.AwaitApproval => "paused: awaiting approval (edgeinfra catch-up --approve)",
            CatchUpDecision.AwaitReturn => "paused: offline",
            CatchUpDecision.AwaitWindow => Entry.Cause == CatchUpCause.Window ? "paused: waiting for its maintenance window" : "paused: back, waiting for its maintenance window",
            _ => "paused: to be released (ring release budget)",
        };
}
