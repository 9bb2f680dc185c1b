using System.Collections.Immutable;

namespace EdgeInfra.Components.Model;

/// <summary>The whole validated fleet of one stack: stores, ordered rings, apps, overrides, registry zones.</summary>
public sealed record FleetModel(
    string Stack,
    ImmutableArray<Store> Stores,
    ImmutableArray<RingSpec> Rings,
    ImmutableArray<AppSpec> Apps,
    ImmutableArray<OverrideSpec> Overrides,
    ImmutableArray<RegistryZone> Zones,
    FleetSettings Settings)
{
    /// <summary>Device bootstrap over SSH; null when the stack bootstraps no device (the lab).</summary>
    public BootstrapSettings? Bootstrap { get; init; }

    public IEnumerable<Store> StoresInRing(string ring) => Stores.Where(s => s.Ring == ring);
}
