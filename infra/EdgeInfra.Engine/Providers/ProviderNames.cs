namespace EdgeInfra.Engine.Providers;

/// <summary>The names of the providers EdgeInfra ships, by which a resource names the provider that serves it.</summary>
/// <remarks>Defined once, here, where both sides can see them: the components that declare resources and the providers
/// that register under these names never spell them twice, so they cannot drift apart.</remarks>
public static class ProviderNames
{
    /// <summary>Writes files into the fleet repo (one commit per run).</summary>
    public const string FleetRepo = "fleetrepo";

    /// <summary>Writes files onto a store device (over SSH, or staged in state in the lab).</summary>
    public const string Device = "device";
}
