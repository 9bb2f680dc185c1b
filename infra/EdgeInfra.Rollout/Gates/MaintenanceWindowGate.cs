using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Gates;

/// <summary>Maintenance windows: the ring waits while online stores that still need the change are outside their
/// window (in the store's own time zone). An <see cref="ChangeClass.Immediate"/> change does not wait for windows.</summary>
/// <remarks>The walker enforces the windows: it pauses each store a <c>next-window</c> change may not reach now and
/// releases it when its window opens (<see cref="CatchUpCause.Window"/>). This gate reports that wait, as a scheduled
/// one (the hold timeout does not run), with when the next window opens. Offline stores, and those paused since they
/// were offline, never block the ring here: they get the change when they return, as their change class allows
/// (<see cref="CatchUpPolicy"/>).</remarks>
/// <param name="changeClass">The most restrictive change class among the apps this rollout changes.</param>
public sealed class MaintenanceWindowGate(ChangeClass changeClass) : IGate
{
    public string Name => "maintenance-window";

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (changeClass == ChangeClass.Immediate)
            return Task.FromResult(GateResult.Successful(Name, "immediate change: maintenance windows do not apply"));
        var waiting = new List<(Store Store, MaintenanceWindow Window, DateTimeOffset Opens)>();
        foreach (var store in context.Stores)
        {
            var state = context.Statuses.TryGetValue(store.Id, out var s) ? s.State : StoreState.Pending;
            if (state is StoreState.Ready or StoreState.Drifted or StoreState.Offline or StoreState.Failed) continue;
            if (context.HeldBack.GetValueOrDefault(store.Id, CatchUpCause.Window) != CatchUpCause.Window) continue;
            if (MaintenanceWindow.Of(store) is { } w && !w.Admits(context.Now)) waiting.Add((store, w, w.NextAdmission(context.Now)));
        }
        if (waiting.Count == 0)
            return Task.FromResult(GateResult.Successful(Name, "every store that still needs the change is inside its window"));
        var next = waiting.MinBy(w => w.Opens);
        return Task.FromResult(GateResult.Waiting(Name,
            $"{waiting.Count} store(s) wait for their maintenance window; next opens in {Durations.Format(next.Opens - context.Now)} " +
            $"({next.Store.Id}: {next.Window.Describe()})",
            [.. waiting.Select(w => w.Store.Id)]) with { Until = next.Opens });
    }
}
