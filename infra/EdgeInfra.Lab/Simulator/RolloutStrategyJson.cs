using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Lab.Simulator;

/// <summary>Reads fleet.yaml's <c>rolloutStrategy</c> object into the rules' <see cref="FleetRolloutStrategy"/>.</summary>
/// <remarks>Values are carried as written; whether Fleet accepts them (e.g. <c>"ten"</c>) is the rules' call, in the pass.</remarks>
internal static class RolloutStrategyJson
{
    public static FleetRolloutStrategy? Read(JsonNode? node)
    {
        if (node is not JsonObject s) return null;
        var partitions = (s["partitions"] as JsonArray)?.OfType<JsonObject>().Select((p, i) => new FleetPartitionDefinition(
            FleetMatcher.StringOrNull(p["name"]) ?? $"partition{i}",
            IntOrString(p["maxUnavailable"]),
            FleetMatcher.StringOrNull(p["clusterName"]),
            p["clusterSelector"] as JsonObject,
            FleetMatcher.StringOrNull(p["clusterGroup"]),
            p["clusterGroupSelector"] as JsonObject)).ToList();
        return new FleetRolloutStrategy(
            IntOrString(s["maxUnavailable"]),
            IntOrString(s["maxUnavailablePartitions"]),
            IntOrString(s["autoPartitionSize"]),
            Int(s["autoPartitionThreshold"], "autoPartitionThreshold"),
            Int(s["maxNew"], "maxNew"),
            partitions);
    }

    private static IntOrPercent? IntOrString(JsonNode? node) => node switch
    {
        null => (IntOrPercent?)null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => IntOrPercent.FromInt(i),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => IntOrPercent.FromString(v.GetValue<string>()),
        _ => throw new FleetReconcileException($"rolloutStrategy value {node.ToJsonString()} is neither an integer nor a string"),
    };

    private static int? Int(JsonNode? node, string what) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => throw new FleetReconcileException($"rolloutStrategy.{what} {node.ToJsonString()} is not an integer"),
    };
}
