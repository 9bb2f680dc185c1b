using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Yaml;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Components.Resources;

/// <summary>Lifts Fleet's rollout throttle from a ring stack's bundles for an emergency rollback.</summary>
/// <remarks>A ring's <c>maxUnavailable</c> paces a release so a bad one hurts few stores; applied to the rollback it
/// would bring the stores back one partition step at a time (a 25-store ring at <c>maxUnavailable: 1</c> needs about
/// eight minutes). The rollback commit therefore renders every bundle with <c>maxUnavailable</c> and
/// <c>maxUnavailablePartitions</c> at 100 %, so Fleet returns every online store at once; the ring's next regular
/// apply renders its own throttle again.</remarks>
public static class EmergencyRollout
{
    public const string Everything = "100%";

    /// <summary>The stack with every bundle's <c>fleet.yaml</c> unthrottled; other resources unchanged.</summary>
    public static DesiredStack Unthrottled(DesiredStack desired)
    {
        var resources = desired.Resources.Select(Unthrottle).ToImmutableArray();
        return desired with { Resources = resources };
    }

    private static DesiredResource Unthrottle(DesiredResource resource)
    {
        if (resource.Provider != FleetProviders.FleetRepo ||
            resource.Inputs.GetOrDefault(FleetResourceKeys.Path) is not { } path ||
            !path.EndsWith("/" + FleetRepoLayout.FleetYamlName, StringComparison.Ordinal) || path == FleetRepoLayout.HubFleetYaml ||
            resource.Inputs.GetOrDefault(FleetResourceKeys.Content) is not { } content ||
            YamlJsonReader.Read(content) is not JsonObject doc)
            return resource;
        var strategy = doc["rolloutStrategy"] as JsonObject ?? [];
        strategy["maxUnavailable"] = Everything;
        strategy["maxUnavailablePartitions"] = Everything;
        doc["rolloutStrategy"] = strategy;
        return resource with { Inputs = resource.Inputs.With(FleetResourceKeys.Content, YamlEmitter.Emit(doc)) };
    }
}
