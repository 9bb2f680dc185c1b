namespace EdgeInfra.Providers.Hub;

/// <summary>One reading of a Fleet workspace: its Clusters, GitRepos and Bundles, and every BundleDeployment.</summary>
public sealed record HubSnapshot(
    IReadOnlyList<HubCluster> Clusters,
    IReadOnlyList<HubGitRepo> GitRepos,
    IReadOnlyList<HubBundle> Bundles,
    IReadOnlyList<HubBundleDeployment> BundleDeployments);
