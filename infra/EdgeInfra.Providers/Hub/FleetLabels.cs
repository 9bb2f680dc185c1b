namespace EdgeInfra.Providers.Hub;

/// <summary>The labels Fleet puts on Bundles and BundleDeployments.</summary>
public static class FleetLabels
{
    public const string RepoName = "fleet.cattle.io/repo-name";
    public const string Commit = "fleet.cattle.io/commit";
    public const string BundleName = "fleet.cattle.io/bundle-name";
    public const string BundleNamespace = "fleet.cattle.io/bundle-namespace";
    public const string Cluster = "fleet.cattle.io/cluster";
    public const string ClusterNamespace = "fleet.cattle.io/cluster-namespace";
}
