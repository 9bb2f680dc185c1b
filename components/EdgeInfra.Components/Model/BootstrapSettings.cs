using System.Collections.Immutable;

namespace EdgeInfra.Components.Model;

/// <summary>Store device bootstrap over SSH (<c>edge-infra:bootstrap</c>): how to reach each device and what to install.</summary>
/// <param name="AddressLabel">The inventory label holding a device's address, when <see cref="Devices"/> does not name it.</param>
/// <param name="Devices">Per-store settings (address, port, user, pinned host key), by store id.</param>
/// <param name="PrivateKeyConfigKey">The secret stack config key holding the OpenSSH private key EdgeInfra logs in with.</param>
/// <param name="Concurrency">At most this many SSH operations at once across the ring.</param>
/// <param name="Retries">Further connect attempts after a network failure (exponential backoff).</param>
public sealed record BootstrapSettings(
    string? AddressLabel,
    int Port,
    string User,
    ImmutableSortedDictionary<string, DeviceSettings> Devices,
    string PrivateKeyConfigKey,
    int Concurrency,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout,
    int Retries,
    K3sBootstrap K3s,
    FleetAgentBootstrap? FleetAgent,
    SourceLocation Location)
{
    public const int DefaultPort = 22;
    public const string DefaultUser = "root";
    public const int DefaultConcurrency = 16;
    public const int DefaultRetries = 3;
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How to reach <paramref name="store"/>'s device, or null (with the reason) when its address is unknown.</summary>
    public (DeviceEndpoint? Endpoint, string? Problem) EndpointOf(Store store)
    {
        var device = Devices.GetValueOrDefault(store.Id);
        var address = device?.Address ?? (AddressLabel is { } label ? store.Label(label) : null);
        if (string.IsNullOrEmpty(address))
            return (null, $"{store.Location}: store '{store.Id}' has no device address: set edge-infra:bootstrap devices.{store.Id}.address" +
                          (AddressLabel is null ? " or bootstrap.addressLabel" : $" or its '{AddressLabel}' label"));
        return (new DeviceEndpoint(address, device?.Port ?? Port, device?.User ?? User, device?.HostKey), null);
    }
}

/// <summary>One store's device settings; each field left null falls back to the bootstrap defaults.</summary>
/// <param name="HostKey">The pinned SHA-256 host key fingerprint (<c>SHA256:…</c>); null means trust on first use.</param>
public sealed record DeviceSettings(string? Address, int? Port, string? User, string? HostKey);

/// <summary>Where a store's device answers SSH.</summary>
public sealed record DeviceEndpoint(string Host, int Port, string User, string? HostKey);

/// <summary>How K3s is installed: <c>script</c> (the device downloads it) or <c>airgap</c> (uploaded from <see cref="ArtifactsDir"/>).</summary>
/// <param name="Disable">Packaged components to disable (<c>traefik</c>, <c>servicelb</c>, …), rendered into config.yaml.</param>
public sealed record K3sBootstrap(string Install, string ScriptUrl, string? ArtifactsDir, ImmutableArray<string> Disable)
{
    public const string ScriptInstall = "script";
    public const string AirgapInstall = "airgap";
    public const string DefaultScriptUrl = "https://get.k3s.io";
}

/// <summary>The Fleet agent each store installs through a K3s HelmChart manifest.</summary>
/// <param name="RegistrationConfigKey">The secret stack config key holding the hub's registration values
/// (the <c>values</c> of its ClusterRegistrationToken secret: apiServerURL, apiServerCA, token, clusterNamespace).</param>
public sealed record FleetAgentBootstrap(string RegistrationConfigKey, string ChartRepo, string ChartVersion)
{
    public const string DefaultChartRepo = "https://rancher.github.io/fleet-helm-charts/";
    public const string DefaultChartVersion = "0.12.13";
}
