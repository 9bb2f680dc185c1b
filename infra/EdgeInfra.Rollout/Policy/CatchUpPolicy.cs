using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Policy;

/// <summary>Offline catch-up per change class (ARCHITECTURE.md §9): which offline stores the walker pauses when it
/// applies a ring, and when a paused store is released again.</summary>
/// <remarks>
/// Fleet has one hold for a single cluster, <c>Cluster.spec.paused</c>, and it holds every bundle of the cluster, so a
/// store is held under the strictest class among the changes it misses. Every class pauses while the store is offline:
/// Fleet counts an offline cluster that was handed the new deployment as unavailable (fleet.md §5), so a ring with more
/// offline stores than its <c>maxUnavailable</c> would stall for as long as they stay away (9h52m measured in the lab).
/// <c>immediate</c> is released the moment the store is back, whatever its window. <c>next-window</c> waits until the
/// store is back online and its maintenance window is open in its own time zone (for long enough that Fleet applies it
/// before the window closes: <see cref="MaintenanceWindow.Admits"/>). <c>hold-for-review</c> waits for an operator's
/// approval. Releases are bounded per pass by the ring's <c>maxUnavailable</c>, so stores coming back together do not
/// surge. The same machinery enforces windows on online stores: for a <c>next-window</c> (or stricter) change the
/// walker pauses every online store of the ring it may not hand the change now, and releases them as their windows open
/// (<see cref="CatchUpCause.Window"/>); <c>immediate</c> changes and rollbacks ignore windows.
/// </remarks>
public static class CatchUpPolicy
{
    /// <summary>How the commit message of a catch-up release begins (its ring stack update only unpauses Clusters).</summary>
    public const string ReleaseReason = "catch-up: release ";

    /// <summary>The class a returning store gets an app's change under: the stack's <c>rollout.catchUp</c> override of
    /// the app, else the app's own <c>changeClass</c>.</summary>
    public static ChangeClass ClassOf(AppSpec app, IReadOnlyDictionary<string, ChangeClass> overrides) =>
        overrides.TryGetValue(app.Name, out var c) ? c : app.ChangeClass;

    /// <summary>The strictest class among the apps that <paramref name="changedApps"/> names; immediate when none.</summary>
    public static ChangeClass Strictest(IEnumerable<AppSpec> apps, IEnumerable<string> changedApps, IReadOnlyDictionary<string, ChangeClass> overrides)
    {
        var changed = changedApps.ToHashSet(StringComparer.Ordinal);
        return apps.Where(a => changed.Contains(a.Name)).Select(a => ClassOf(a, overrides)).DefaultIfEmpty(ChangeClass.Immediate).Max();
    }

    /// <summary>What a catch-up pass does with one awaiting store.</summary>
    /// <param name="state">The store's state now.</param>
    /// <param name="window">The store's maintenance window; null when it has none (it may change at any time).</param>
    public static CatchUpDecision Decide(ChangeClass changeClass, bool paused, bool approved, StoreState state, MaintenanceWindow? window,
        DateTimeOffset now)
    {
        if (!paused) return CatchUpDecision.Deliver;
        if (changeClass == ChangeClass.HoldForReview && !approved) return CatchUpDecision.AwaitApproval;
        if (approved) return CatchUpDecision.Release;
        if (state == StoreState.Offline) return CatchUpDecision.AwaitReturn;
        if (changeClass == ChangeClass.Immediate) return CatchUpDecision.Release;
        if (window is not null && !window.Admits(now)) return CatchUpDecision.AwaitWindow;
        return CatchUpDecision.Release;
    }

    /// <summary>How many paused stores of a ring one pass may release: the ring's <c>maxUnavailable</c> of its store
    /// count, less the stores released earlier that have not caught up yet (still in flight).</summary>
    public static int ReleaseBudget(int ringStores, string maxUnavailable, int inFlight) =>
        Math.Max(0, Gates.FleetReadinessGate.Limit(ringStores, maxUnavailable) - inFlight);

    /// <summary>The wire name of a cause (<c>offline</c>, <c>window</c>, <c>unregistered</c>), as <c>status --json</c> and
    /// <c>catch-up --json</c> print it.</summary>
    public static string Name(CatchUpCause cause) => cause switch
    {
        CatchUpCause.Offline => "offline",
        CatchUpCause.Window => "window",
        CatchUpCause.Unregistered => "unregistered",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, null),
    };

    /// <summary>The wire name of a class (<c>immediate</c>, <c>next-window</c>, <c>hold-for-review</c>).</summary>
    public static string Name(ChangeClass changeClass) => changeClass switch
    {
        ChangeClass.Immediate => "immediate",
        ChangeClass.NextWindow => "next-window",
        ChangeClass.HoldForReview => "hold-for-review",
        _ => throw new ArgumentOutOfRangeException(nameof(changeClass), changeClass, null),
    };
}

/// <summary>What a catch-up pass does with one store that missed a change while offline.</summary>
public enum CatchUpDecision
{
    /// <summary>Not paused (recorded before every class paused): Fleet delivers the change when the store is back; the
    /// pass only watches for it.</summary>
    Deliver,

    /// <summary>Paused and still offline: nothing to do until it is back.</summary>
    AwaitReturn,

    /// <summary>Paused, online, outside its maintenance window (or too near its end).</summary>
    AwaitWindow,

    /// <summary>Paused until an operator approves (<c>edgeinfra catch-up --approve</c>).</summary>
    AwaitApproval,

    /// <summary>Unpause it now (within the ring's release budget).</summary>
    Release,
}
