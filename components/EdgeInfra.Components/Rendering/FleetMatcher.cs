using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeInfra.Components.Rendering;

/// <summary>Fleet's cluster matching rules for GitRepo targets, partitions and targetCustomizations.</summary>
/// <remarks>
/// Mirrors <c>internal/cmd/controller/target/matcher</c>: <c>clusterName</c>, <c>clusterGroup</c>,
/// <c>clusterGroupSelector</c> and <c>clusterSelector</c> are ANDed; a matcher with none of them matches nothing;
/// <c>clusterSelector: {}</c> matches every cluster while a null selector is ignored.
/// </remarks>
public static class FleetMatcher
{
    /// <summary>Rancher's label that <c>clusterName</c> also matches.</summary>
    public const string DisplayNameLabel = "management.cattle.io/cluster-display-name";

    /// <summary>True when <paramref name="matcher"/> (a target, partition or customization object) selects the cluster.</summary>
    /// <remarks>As <c>matcher/clustermatcher.go</c> and its callers at Fleet v0.16.1: the criteria are evaluated against one
    /// of the cluster's groups at a time (the groups whose selector matches the cluster), so <c>clusterGroup</c> and
    /// <c>clusterGroupSelector</c> must hold for the same group; a cluster in no group is evaluated once with an empty
    /// group name and no group labels, where <c>clusterGroupSelector: {}</c> (or a <c>DoesNotExist</c>) matches.</remarks>
    public static bool Matches(JsonObject matcher, FleetCluster cluster, IReadOnlyList<FleetClusterGroup>? groups = null)
    {
        var inAnyGroup = false;
        foreach (var group in groups ?? [])
        {
            if (!SelectorMatches(group.Selector, cluster.Labels)) continue;
            inAnyGroup = true;
            if (MatchesIn(matcher, cluster, group.Name, group.Labels)) return true;
        }
        return !inAnyGroup && MatchesIn(matcher, cluster, "", NoLabels);
    }

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private static bool MatchesIn(JsonObject matcher, FleetCluster cluster, string groupName, IReadOnlyDictionary<string, string> groupLabels)
    {
        var criteria = 0;
        var clusterName = StringOrNull(matcher["clusterName"]);
        if (!string.IsNullOrEmpty(clusterName))
        {
            criteria++;
            if (clusterName != cluster.Name &&
                cluster.Labels.GetValueOrDefault(DisplayNameLabel) != clusterName)
                return false;
        }

        var clusterGroup = StringOrNull(matcher["clusterGroup"]);
        if (!string.IsNullOrEmpty(clusterGroup))
        {
            criteria++;
            if (clusterGroup != groupName) return false;
        }

        if (matcher["clusterGroupSelector"] is JsonObject groupSelector)
        {
            criteria++;
            if (!SelectorMatches(groupSelector, groupLabels)) return false;
        }

        if (matcher["clusterSelector"] is JsonObject clusterSelector)
        {
            criteria++;
            if (!SelectorMatches(clusterSelector, cluster.Labels)) return false;
        }

        return criteria > 0;
    }

    /// <summary>Kubernetes label selector semantics: null matches nothing, <c>{}</c> matches everything.</summary>
    public static bool SelectorMatches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not JsonObject sel) return false;
        if (sel["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
                if (!labels.TryGetValue(key, out var actual) || actual != StringOrNull(value))
                    return false;
        }
        if (sel["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions)
                if (expression is not JsonObject e || !ExpressionMatches(e, labels))
                    return false;
        }
        return true;
    }

    private static bool ExpressionMatches(JsonObject expression, IReadOnlyDictionary<string, string> labels)
    {
        var key = StringOrNull(expression["key"]) ?? "";
        var values = expression["values"] is JsonArray arr ? arr.Select(StringOrNull).ToHashSet() : [];
        var present = labels.TryGetValue(key, out var actual);
        return StringOrNull(expression["operator"]) switch
        {
            "In" => present && values.Contains(actual),
            "NotIn" => !present || !values.Contains(actual),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => false, // Kubernetes rejects unknown operators; Fleet then matches nothing.
        };
    }

    /// <summary>The text of a JSON scalar (numbers and booleans as written); null for objects, arrays and null.</summary>
    public static string? StringOrNull(JsonNode? node) =>
        node is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null,
        } : null;
}
