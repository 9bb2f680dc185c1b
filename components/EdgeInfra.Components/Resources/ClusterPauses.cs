using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Yaml;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Components.Resources;

/// <summary>Renders today's pauses (<c>Cluster.spec.paused</c>) into a ring stack recorded earlier.</summary>
/// <remarks>A rollback re-applies the desired state of an earlier version, whose Cluster files carry the pauses of that
/// time: a store paused since (offline, awaiting catch-up) would be unpaused by the rollback and take whatever its ring
/// runs the moment it returns. The pauses are the rollout host's current decision, not part of a release, so they are
/// rendered as they stand now; every other byte of the version is restored as recorded.</remarks>
public static class ClusterPauses
{
    /// <summary>The stack with each Cluster file paused exactly when its store is in <paramref name="paused"/>.</summary>
    public static DesiredStack Apply(DesiredStack desired, IReadOnlySet<string> paused) =>
        desired with { Resources = desired.Resources.Select(r => Apply(r, paused)).ToImmutableArray() };

    private static DesiredResource Apply(DesiredResource resource, IReadOnlySet<string> paused)
    {
        if (resource.Provider != FleetProviders.FleetRepo ||
            resource.Inputs.GetOrDefault(FleetResourceKeys.Path) is not { } path ||
            !path.StartsWith(ClustersDir, StringComparison.Ordinal) ||
            resource.Inputs.GetOrDefault(FleetResourceKeys.Content) is not { } content ||
            YamlJsonReader.Read(content) is not JsonObject { } doc ||
            doc["metadata"]?["name"]?.GetValue<string>() is not { } store)
            return resource;
        var spec = doc["spec"] as JsonObject ?? [];
        var want = paused.Contains(store);
        if ((spec["paused"]?.GetValue<bool>() ?? false) == want) return resource;
        if (want) spec["paused"] = true;
        else spec.Remove("paused");
        doc["spec"] = spec;
        return resource with { Inputs = resource.Inputs.With(FleetResourceKeys.Content, YamlEmitter.Emit(doc)) };
    }

    private static readonly string ClustersDir = FleetRepoLayout.ClusterPath("x")[..^"x.yaml".Length];
}
