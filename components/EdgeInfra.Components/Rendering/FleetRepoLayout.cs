namespace EdgeInfra.Components.Rendering;

/// <summary>Where each rendered file lives: in the fleet repo, and on a store device.</summary>
public static class FleetRepoLayout
{
    public const string HubDir = "hub";
    public const string HubFleetYaml = "hub/fleet.yaml";
    public const string BootstrapHubGitRepo = "bootstrap/hub-gitrepo.yaml";
    public const string FleetYamlName = "fleet.yaml";
    public const string OverlaysDir = "overlays";

    /// <summary>Fleet's workspace for the management cluster itself, where the hub bundle is applied.</summary>
    public const string LocalWorkspace = "fleet-local";

    public const string K3sRegistriesPath = "/etc/rancher/k3s/registries.yaml";
    public const string K3sConfigPath = "/etc/rancher/k3s/config.yaml";

    public static string ClusterPath(string storeId) => $"hub/clusters/{storeId}.yaml";
    public static string ClusterGroupPath(string ring) => $"hub/clustergroups/{ring}.yaml";
    public static string GitRepoPath(string ring) => $"hub/gitrepos/{ring}.yaml";
    public static string BundleDir(string app, string ring) => $"apps/{app}/{ring}";

    /// <summary>A sharded ring's bundle dir per shard sits inside the ring's, so whatever compares a ring's dirs
    /// between commits (<c>apps/*/&lt;ring&gt;</c>) sees every shard's.</summary>
    public static string BundleDir(string app, string ring, string? shard) => shard is null ? BundleDir(app, ring) : $"apps/{app}/{ring}/{shard}";
}
