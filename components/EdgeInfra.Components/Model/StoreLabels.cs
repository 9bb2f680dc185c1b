namespace EdgeInfra.Components.Model;

/// <summary>The label keys every store carries; they become Kubernetes labels on its Fleet Cluster.</summary>
public static class StoreLabels
{
    public const string SiteId = "site-id";
    public const string Region = "region";
    public const string Country = "country";
    public const string RolloutRing = "rollout-ring";
    public const string StoreFormat = "store-format";
    public const string TrafficTier = "traffic-tier";
    public const string NetworkTier = "network-tier";
    public const string HardwareClass = "hardware-class";
    public const string MaintenanceWindow = "maintenance-window";
    public const string RegistryZone = "registry-zone";
    public const string Timezone = "timezone";

    public static readonly IReadOnlyList<string> All =
    [
        SiteId, Region, Country, RolloutRing, StoreFormat, TrafficTier, NetworkTier, HardwareClass,
        MaintenanceWindow, RegistryZone, Timezone,
    ];
}
