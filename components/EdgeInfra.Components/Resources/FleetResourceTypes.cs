using EdgeInfra.Engine.Providers;

namespace EdgeInfra.Components.Resources;

/// <summary>The resource type tokens of the fleet vocabulary, as they appear in URNs and state.</summary>
public static class FleetResourceTypes
{
    public const string Store = "edge:fleet:Store";
    public const string Cluster = "edge:fleet:Cluster";
    public const string ClusterGroup = "edge:fleet:ClusterGroup";
    public const string GitRepo = "edge:fleet:GitRepo";
    public const string RingRelease = "edge:fleet:RingRelease";
    public const string File = "edge:fleetrepo:File";
    public const string K3sRegistries = "edge:k3s:Registries";
    public const string K3sConfig = "edge:k3s:Config";
    /// <summary>K3s at the pinned version on a store device (bootstrapped stacks only).</summary>
    public const string K3sInstall = "edge:k3s:Install";
    /// <summary>The K3s service: restarted when its config files or version change (bootstrapped stacks only).</summary>
    public const string K3sService = "edge:k3s:Service";
    /// <summary>The Fleet agent's HelmChart manifest in the device's K3s manifests directory (bootstrapped stacks only).</summary>
    public const string FleetAgent = "edge:fleet:Agent";
}

/// <summary>The provider names fleet resources are served by.</summary>
public static class FleetProviders
{
    /// <summary>Writes files into the fleet repo (one commit per run).</summary>
    public const string FleetRepo = ProviderNames.FleetRepo;

    /// <summary>Writes files onto a store device (over SSH in production).</summary>
    public const string Device = ProviderNames.Device;
}

/// <summary>Input, tag and output keys shared by the fleet resources and the providers that serve them.</summary>
public static class FleetResourceKeys
{
    public const string Path = "path";
    public const string Content = "content";
    /// <summary>On device resources: the store id whose device receives the file.</summary>
    public const string Store = "store";
    public const string K3sVersion = "k3sVersion";
    /// <summary>On the K3s install: <c>script</c> or <c>airgap</c>.</summary>
    public const string InstallMode = "installMode";
    /// <summary>On the K3s service: <c>watch.&lt;device path&gt;</c> = SHA-256 (hex) of the file's desired content.</summary>
    public const string WatchPrefix = "watch.";
    public const string App = "app";
    public const string Version = "version";
    /// <summary>On a ring release: the app image's manifest digest the release was pinned to.</summary>
    public const string Digest = "digest";
    /// <summary>On a ring release: the pinned image reference, <c>host/repository@sha256:…</c>.</summary>
    public const string Image = "image";
    public const string LabelPrefix = "labels.";
    public const string ReleaseTag = "release";
    public const string StoreTag = "store";
    public const string AppTag = "app";
}
