using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's <c>options.Merge</c> (<c>internal/cmd/controller/options/calculate.go</c>) on BundleDeploymentOptions as JSON.</summary>
/// <remarks>Only what Fleet merges is merged: strings override when non-empty, <c>helm.values</c> deep-merge, booleans
/// are ORed (a customization cannot switch them off), <c>yaml.overlays</c> append, keyed lists merge by key,
/// <c>correctDrift</c> is replaced. Any other key of a customization (e.g. <c>helm.maxHistory</c>) is ignored, as in Fleet.</remarks>
public static class FleetOptionsMerge
{
    private static readonly string[] OverridingStrings = ["defaultNamespace", "namespace", "serviceAccount"];
    private static readonly string[] OverridingHelmStrings = ["repo", "chart", "version", "releaseName"];
    private static readonly string[] OredHelmBooleans = ["force", "atomic", "takeOwnership", "disablePreProcess", "waitForJobs", "disableDNS"];

    /// <summary>A new options object: <paramref name="baseOptions"/> overridden by <paramref name="custom"/>.</summary>
    public static JsonObject Merge(JsonObject baseOptions, JsonObject custom)
    {
        var result = (JsonObject)baseOptions.DeepClone();
        foreach (var key in OverridingStrings) OverrideString(result, custom, key);

        if (custom["helm"] is JsonObject customHelm) MergeHelm(Child(result, "helm"), customHelm);

        if (custom["kustomize"] is JsonObject customKustomize)
            OverrideString(Child(result, "kustomize"), customKustomize, "dir");

        if (custom["diff"] is JsonObject customDiff)
        {
            var diff = Child(result, "diff");
            var merged = MergeByKey(diff["comparePatches"] as JsonArray, customDiff["comparePatches"] as JsonArray, ComparePatchKey);
            if (merged.Count > 0) diff["comparePatches"] = merged;
        }

        if (custom["yaml"] is JsonObject customYaml)
        {
            var yaml = Child(result, "yaml");
            var overlays = yaml["overlays"] as JsonArray ?? [];
            foreach (var o in customYaml["overlays"] as JsonArray ?? []) overlays.Add(o?.DeepClone());
            if (overlays.Count > 0) yaml["overlays"] = overlays;
        }

        if (Integer(custom["forceSyncGeneration"]) > 0) result["forceSyncGeneration"] = custom["forceSyncGeneration"]!.DeepClone();
        Or(result, custom, "keepResources");
        if (custom["correctDrift"] is JsonObject correctDrift) result["correctDrift"] = correctDrift.DeepClone();

        if (custom["downstreamResources"] is JsonArray { Count: > 0 } customDownstream)
            result["downstreamResources"] = MergeByKey(result["downstreamResources"] as JsonArray, customDownstream, DownstreamResourceKey);

        foreach (var key in new[] { "namespaceLabels", "namespaceAnnotations" })
        {
            if (custom[key] is not JsonObject { Count: > 0 } customMap) continue;
            var map = Child(result, key);
            foreach (var (k, v) in customMap) map[k] = v?.DeepClone();
        }
        return result;
    }

    private static void MergeHelm(JsonObject helm, JsonObject custom)
    {
        var timeout = Integer(custom["timeoutSeconds"]);
        if (timeout > 0) helm["timeoutSeconds"] = custom["timeoutSeconds"]!.DeepClone();
        else if (timeout < 0) helm.Remove("timeoutSeconds");

        if (custom["values"] is JsonObject customValues)
            helm["values"] = helm["values"] is JsonObject values ? JsonMerge.DeepMerge(values, customValues) : customValues.DeepClone();

        if (custom["templateValues"] is JsonObject customTemplates)
        {
            var templates = Child(helm, "templateValues");
            foreach (var (k, v) in customTemplates) templates[k] = v?.DeepClone();
        }

        if (custom["valuesFrom"] is JsonArray { Count: > 0 } customFrom)
            helm["valuesFrom"] = MergeByKey(helm["valuesFrom"] as JsonArray, customFrom, ValuesFromKey);

        foreach (var key in OverridingHelmStrings) OverrideString(helm, custom, key);
        foreach (var key in OredHelmBooleans) Or(helm, custom, key);
    }

    /// <summary>Fleet's <c>merge.ByKey</c>: the base list as it is, a custom entry replacing the base entry with its key
    /// (the first custom entry of a key wins), other custom entries appended; entries without a key are always appended.</summary>
    private static JsonArray MergeByKey(JsonArray? baseList, JsonArray? customList, Func<JsonNode?, string> key)
    {
        var result = new List<JsonNode?>();
        var baseIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in baseList ?? [])
        {
            if (key(item) is { Length: > 0 } k) baseIndex[k] = result.Count;
            result.Add(item?.DeepClone());
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in customList ?? [])
        {
            var k = key(item);
            if (k.Length > 0)
            {
                if (!seen.Add(k)) continue;
                if (baseIndex.TryGetValue(k, out var at))
                {
                    result[at] = item?.DeepClone();
                    continue;
                }
            }
            result.Add(item?.DeepClone());
        }
        return [.. result];
    }

    private static string ComparePatchKey(JsonNode? p) =>
        $"{Str(p?["apiVersion"])}|{Str(p?["kind"])}|{Str(p?["namespace"])}|{Str(p?["name"])}";

    private static string DownstreamResourceKey(JsonNode? r) => $"{Str(r?["kind"]).ToLowerInvariant()}|{Str(r?["name"])}";

    private static string ValuesFromKey(JsonNode? v)
    {
        if (v?["configMapKeyRef"] is JsonObject c) return $"configmap|{Str(c["namespace"])}|{Str(c["name"])}|{Str(c["key"])}";
        if (v?["secretKeyRef"] is JsonObject s) return $"secret|{Str(s["namespace"])}|{Str(s["name"])}|{Str(s["key"])}";
        return "";
    }

    private static void OverrideString(JsonObject result, JsonObject custom, string key)
    {
        if (Str(custom[key]) is { Length: > 0 } value) result[key] = value;
    }

    private static void Or(JsonObject result, JsonObject custom, string key)
    {
        // Go's omitempty drops false, so an ORed false leaves no key behind.
        if (IsTrue(result[key]) || IsTrue(custom[key])) result[key] = true;
        else result.Remove(key);
    }

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static long Integer(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? l
        : node is JsonValue d && d.TryGetValue<double>(out var f) ? (long)f : 0;

    private static string Str(JsonNode? node) => FleetMatcher.StringOrNull(node) ?? "";
}
