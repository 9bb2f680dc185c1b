using System.Text.Json.Nodes;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>One entry of <c>rolloutStrategy.partitions</c>: a name, an optional budget and cluster criteria (ANDed).</summary>
/// <param name="ClusterSelector">A Kubernetes label selector object (<c>{matchLabels, matchExpressions}</c>); null is ignored, <c>{}</c> matches all.</param>
/// <param name="ClusterGroupSelector">A label selector over ClusterGroup labels.</param>
public sealed record FleetPartitionDefinition(
    string Name,
    IntOrPercent? MaxUnavailable = null,
    string? ClusterName = null,
    JsonObject? ClusterSelector = null,
    string? ClusterGroup = null,
    JsonObject? ClusterGroupSelector = null)
{
    /// <summary>The criteria as the matcher object <see cref="EdgeInfra.Components.Rendering.FleetMatcher"/> reads.</summary>
    public JsonObject ToMatcher()
    {
        var matcher = new JsonObject();
        if (ClusterName is not null) matcher["clusterName"] = ClusterName;
        if (ClusterSelector is not null) matcher["clusterSelector"] = ClusterSelector.DeepClone();
        if (ClusterGroup is not null) matcher["clusterGroup"] = ClusterGroup;
        if (ClusterGroupSelector is not null) matcher["clusterGroupSelector"] = ClusterGroupSelector.DeepClone();
        return matcher;
    }
}
