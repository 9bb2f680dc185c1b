using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Service.Api;

/// <summary>A stack's status: per ring and per region, how many stores are in each state, and what holds rollouts back.</summary>
/// <param name="AsOf">When the hub was read (answers are shared for a few seconds; see <c>?fresh=true</c>).</param>
/// <param name="Hub"><c>fleet</c>, or <c>lab simulator</c> for the lab.</param>
/// <param name="Error">Why the hub could not be read; counts are then empty.</param>
/// <param name="States">Counts over the whole fleet, by state (the store-state vocabulary).</param>
public sealed record StatusDocument(
    string Stack,
    DateTimeOffset Now,
    DateTimeOffset AsOf,
    string Hub,
    string? Error,
    int Stores,
    IReadOnlyDictionary<string, int> States,
    IReadOnlyList<RingCounts> Rings,
    IReadOnlyList<RegionCounts> Regions,
    IReadOnlyDictionary<string, int> AwaitingCatchUp,
    Freeze? Freeze,
    IReadOnlyList<ReleaseHold> Holds);

/// <summary>One ring's stores by state, the fleet-repo commit it was last opened at, and where the stack's latest rollout
/// left it.</summary>
/// <param name="Release">The release the ring runs (<c>pos-app=2.5.0,…</c>): what its ring stack last applied, whoever
/// applied it (a rollout, a rollback, <c>up</c> by hand); null when the ring was never applied.</param>
/// <param name="Phase">The ring's phase in the latest rollout (<c>pending</c>, <c>applying</c>, <c>baking</c>,
/// <c>promoted</c>, <c>rolling-back</c>, <c>rolled-back</c>); <c>rolled-back</c> after a rollback by hand; null when no
/// rollout ran or the ring was applied by hand since.</param>
public sealed record RingCounts(string Ring, string? Revision, string? Release, string? Phase, int Stores, IReadOnlyDictionary<string, int> States);

/// <summary>One region's stores by state (stores without a region label count under <c>(none)</c>).</summary>
public sealed record RegionCounts(string Region, int Stores, IReadOnlyDictionary<string, int> States);

/// <summary>One store as the hub and the rollout host see it.</summary>
/// <param name="CatchUp">Set while the store is held back from its ring's change (offline, or outside its window).</param>
public sealed record StoreDocument(
    string Id,
    string? Ring,
    string? Region,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    DateTimeOffset? LastSeen,
    string? AppliedRevision,
    string? AttemptedRevision,
    string? Reason,
    CatchUpDocument? CatchUp);

/// <summary>Why and how a store waits to catch up with its ring's change.</summary>
public sealed record CatchUpDocument(string Class, string Cause, bool Paused, bool Approved, DateTimeOffset Since, string? Waiting);

/// <summary>One page of stores, after filtering and sorting, and how many matched in all.</summary>
public sealed record StorePage(DateTimeOffset AsOf, int Total, int Page, int PageSize, IReadOnlyList<StoreDocument> Items);
