using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Automation;

/// <summary>What an update would change, per engine stack (the base stack first, then each ring stack).</summary>
public sealed record StackPreview(string Stack, IReadOnlyList<StackChangeView> Stacks)
{
    /// <summary>The preview as a plan to apply later, when it was asked for (<see cref="PreviewRequest.SavePlan"/>).</summary>
    public Plans.SavedPlan? Plan { get; init; }

    public bool HasChanges => Stacks.Any(s => s.HasChanges);

    /// <summary>The digest each app image of the release is pinned to in this preview.</summary>
    public IReadOnlyList<Releases.PinnedImage> Images { get; init; } = [];

    /// <summary>Release tags that resolve to other bytes than when a ring was last applied at them, naming both digests.</summary>
    public IReadOnlyList<Releases.MovedTag> MovedTags { get; init; } = [];

    /// <summary>What a pull-request comment adds to the changes (reach, estimate, expiring overrides, warnings); null when
    /// the preview was not made from a loaded stack. Not part of the JSON preview.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PreviewFacts? Facts { get; init; }
}

/// <summary>A finished (or stopped) rollout walk, with the store count of each ring for its summary.</summary>
public sealed record RolloutReport(RolloutResult Result, IReadOnlyDictionary<string, int> RingStores)
{
    public bool Completed => Result.Outcome == RolloutOutcome.Completed;
}

/// <summary>What a rollback did to one ring.</summary>
/// <param name="Current">What the ring ran before (null when it was never applied).</param>
/// <param name="Target">The version it returned to, or null when there was none to return to.</param>
/// <param name="Held">The releases the rollback put on hold (those the ring no longer runs).</param>
/// <param name="Error">Why the re-apply failed; null when it succeeded or nothing was done.</param>
public sealed record RingRollback(string Ring, RingVersion? Current, RingVersion? Target, string? Revision, IReadOnlyList<string> Held, string? Error)
{
    public bool Failed => Error is not null;
}

/// <summary>The result of holding releases: those asked for (normalised) and those newly held.</summary>
public sealed record HoldResult(IReadOnlyList<string> Requested, IReadOnlyList<string> Added);

/// <summary>The result of releasing holds: the holds removed, the items that were not held, and what stays held.</summary>
public sealed record UnholdResult(IReadOnlyList<ReleaseHold> Removed, IReadOnlyList<string> NotHeld, IReadOnlyList<ReleaseHold> HeldNow);

/// <summary>One catch-up pass (or passes, when waiting): the walker's report, the hub clock's time, and the stores by id.</summary>
public sealed record CatchUpRun(string Stack, CatchUpReport Report, DateTimeOffset At, IReadOnlyDictionary<string, Store> Stores);

/// <summary>Store counts of one ring per store state, and the fleet-repo commit it was opened at (null: not opened).</summary>
public sealed record RingStatus(string Ring, string? Revision, IReadOnlyDictionary<StoreState, int> Counts);

/// <summary>A stack's stores as read from the hub now: per-ring counts, the stores asked about, and catch-up waits.</summary>
/// <param name="Stores">The stores selected (the ring's, the one store's, or every store), in inventory order.</param>
/// <param name="CatchUp">Stores awaiting catch-up (offline when their ring was applied), by store id.</param>
/// <param name="CatchUpWaiting">For each store awaiting catch-up, what it waits for, in words.</param>
public sealed record StackStatusReport(string Stack, DateTimeOffset Now, bool IsLab, bool Reachable, string? Error,
    IReadOnlyList<RingStatus> Rings, IReadOnlyList<StoreStatus> Stores, IReadOnlyDictionary<string, CatchUpEntry> CatchUp,
    IReadOnlyDictionary<string, string> CatchUpWaiting)
{
    /// <summary>The inventory's stores (labels included) by id: every store, whatever was selected.</summary>
    public IReadOnlyDictionary<string, Store> Inventory { get; init; } = new Dictionary<string, Store>();
}

/// <summary>What stops or limits rollouts of a stack now: its freeze (null when not frozen) and the releases on hold.</summary>
public sealed record StackControls(Freeze? Freeze, IReadOnlyList<ReleaseHold> Holds);

/// <summary>The stack's decision log (verified) and the fleet-repo commits, filtered to a store and a start time.</summary>
/// <param name="StoreRing">The ring of <paramref name="Store"/> when the report is about one store.</param>
public sealed record AuditReport(string Stack, string? Store, string? StoreRing, bool Intact, IReadOnlyList<string> Problems,
    IReadOnlyList<AuditEntry> Entries, IReadOnlyList<FleetCommit> Commits);

/// <summary>The release a ring stack last applied, and how.</summary>
/// <param name="Release"><c>app=version,…</c>, as the ring's commits' <c>Edge-Release</c> trailer.</param>
/// <param name="Version">The ring stack's history version that applied it.</param>
/// <param name="ByRollback">Whether that update was a rollback by hand (<c>edgeinfra rollback</c> or the API's).</param>
public sealed record AppliedRelease(string Ring, string Release, int Version, DateTimeOffset At, bool ByRollback);

/// <summary>The recorded runs of one engine stack, newest first.</summary>
public sealed record StackHistory(string Stack, IReadOnlyList<HistoryEntry> Entries);
