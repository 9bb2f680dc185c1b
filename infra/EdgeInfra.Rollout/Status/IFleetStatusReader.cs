using EdgeInfra.Components.Model;

namespace EdgeInfra.Rollout.Status;

/// <summary>Reads the Fleet hub once and classifies every store of a fleet into <see cref="StoreState"/>.</summary>
public interface IFleetStatusReader
{
    /// <param name="ringRevisions">Ring → the fleet-repo commit the ring was last applied at by the rollout host; a ring
    /// missing from the map has not been opened, so its stores are <see cref="StoreState.NotSelected"/>.</param>
    Task<FleetStatus> ReadAsync(FleetModel model, IReadOnlyDictionary<string, string> ringRevisions, DateTimeOffset now,
        CancellationToken cancellationToken);
}

/// <summary>One reading of the hub: every store's status, or why the hub could not be read.</summary>
/// <param name="Stores">Store id → status; empty when <see cref="Error"/> is set.</param>
/// <param name="Error">Why the hub could not be read (unreachable, unauthorised, malformed); null on success.</param>
public sealed record FleetStatus(IReadOnlyDictionary<string, StoreStatus> Stores, string? Error)
{
    public bool Reachable => Error is null;
}
