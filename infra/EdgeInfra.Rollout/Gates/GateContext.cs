using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Gates;

/// <summary>What a gate sees when it judges one ring: the fleet model, the ring and its stores, the release being
/// rolled out, when the ring was applied, and the store states the walker read from the hub this interval.</summary>
/// <param name="Releases">App name → version the ring is being moved to (the configured release).</param>
/// <param name="RingAppliedAt">When the ring's fleet-repo commit landed (bake time counts from when it became ready).</param>
/// <param name="RingReadyAt">When every online store of the ring first reported ready on the release, or null.</param>
/// <param name="Stores">The ring's stores in inventory order.</param>
/// <param name="Statuses">Store id → classified state for the ring's stores, read from the hub this interval.</param>
public sealed record GateContext(
    FleetModel Model,
    RingSpec Ring,
    IReadOnlyList<Store> Stores,
    IReadOnlyDictionary<string, string> Releases,
    DateTimeOffset Now,
    DateTimeOffset RingAppliedAt,
    DateTimeOffset? RingReadyAt,
    IReadOnlyDictionary<string, StoreStatus> Statuses)
{
    /// <summary>Store id → why it is paused, for the ring's stores the walker holds back from the change (catch-up):
    /// Fleet leaves a paused cluster's deployment alone and does not count it as unavailable.</summary>
    public IReadOnlyDictionary<string, CatchUpCause> HeldBack { get; init; } = new Dictionary<string, CatchUpCause>(StringComparer.Ordinal);
}
