using System.Collections.Frozen;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.Simulator;

/// <summary>What the hub can read from one commit of the fleet repo: Clusters, ClusterGroups, GitRepos and bundle dirs.</summary>
internal sealed record FleetRepoSnapshot(
    string Commit,
    IReadOnlyList<RepoCluster> Clusters,
    IReadOnlyList<RepoClusterGroup> ClusterGroups,
    IReadOnlyList<RepoGitRepo> GitRepos,
    IReadOnlyDictionary<string, RepoBundleDir> BundleDirs)
{
    public static FleetRepoSnapshot Empty { get; } = new("", [], [], [], FrozenDictionary<string, RepoBundleDir>.Empty);
}

/// <summary>A Cluster as written in <c>hub/clusters/&lt;id&gt;.yaml</c>.</summary>
internal sealed record RepoCluster(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels, bool Paused, string ClientId)
{
    public FleetCluster ForMatching { get; } = new(Name, Labels);
}

/// <summary>A ClusterGroup as written in <c>hub/clustergroups/&lt;ring&gt;.yaml</c>.</summary>
internal sealed record RepoClusterGroup(string Name, string Namespace, JsonObject? Selector, IReadOnlyDictionary<string, string> Labels, JsonObject Document);

/// <summary>A GitRepo as written in <c>hub/gitrepos/&lt;ring&gt;.yaml</c>: its paths, targets and polling interval.</summary>
internal sealed record RepoGitRepo(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Paths,
    IReadOnlyList<JsonObject> Targets, TimeSpan PollingInterval, bool Paused, JsonObject Document);

/// <summary>A directory holding a <c>fleet.yaml</c>: the bundle options and the files that become its resources.</summary>
/// <param name="ManifestId">Fleet's manifest ID of the resources: <c>s-</c> + sha256 over their names and contents.</param>
internal sealed record RepoBundleDir(string Path, JsonObject FleetYaml, IReadOnlyList<BundleResource> Resources, string ManifestId);

/// <summary>One file of a bundle (<c>Bundle.spec.resources[]</c>): its path relative to the bundle dir and its text.</summary>
internal sealed record BundleResource(string Name, string Content);
