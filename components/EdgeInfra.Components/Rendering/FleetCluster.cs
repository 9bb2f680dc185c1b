namespace EdgeInfra.Components.Rendering;

/// <summary>A Fleet cluster as targeting sees it: its name and labels.</summary>
public sealed record FleetCluster(string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A Fleet ClusterGroup as targeting sees it: its selector over cluster labels and its own labels.</summary>
/// <param name="Selector">The group's <c>spec.selector</c>; null matches no cluster, an empty object matches all.</param>
public sealed record FleetClusterGroup(string Name, System.Text.Json.Nodes.JsonObject? Selector, IReadOnlyDictionary<string, string> Labels);
