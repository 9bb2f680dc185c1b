using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's <c>targetCustomizationMode</c> (v0.16+); FirstMatch is the default.</summary>
public enum FleetTargetCustomizationMode
{
    FirstMatch,
    AllMatches,
}

/// <summary>A bundle's targeting and customization inputs: GitRepo targets (the allow-list), fleet.yaml
/// <c>targetCustomizations</c> in order, and the root options, all as Fleet's JSON objects.</summary>
/// <param name="GitRepoTargets">GitRepo <c>targets</c> (or <c>overrideTargets</c>): matcher objects.</param>
/// <param name="TargetCustomizations">Matcher fields, <c>name</c>, <c>doNotDeploy</c> and BundleDeploymentOptions in one object each.</param>
public sealed record FleetCustomizationInput(
    FleetTargetCustomizationMode Mode,
    JsonObject RootOptions,
    IReadOnlyList<JsonObject> GitRepoTargets,
    IReadOnlyList<JsonObject> TargetCustomizations,
    IReadOnlyList<FleetClusterGroup>? ClusterGroups = null);

/// <summary>What Fleet decides for one cluster: whether it gets a BundleDeployment, which customizations apply, and the merged options.</summary>
/// <param name="Options">The merged BundleDeploymentOptions; null when not deployed.</param>
/// <param name="Reason">Why the cluster is not deployed; null when deployed.</param>
public sealed record FleetClusterCustomization(
    bool Deployed,
    IReadOnlyList<string> MatchedCustomizations,
    JsonObject? Options,
    string? Reason);

/// <summary>Fleet's targeting and customization rules (<c>target/builder.go</c>, <c>matcher/bundlematch.go</c>).</summary>
/// <remarks>A cluster is a target only if some GitRepo target selects it (customizations never add clusters); any
/// matching customization with <c>doNotDeploy: true</c> removes it, whatever the mode. FirstMatch merges the root
/// options with the first matching customization, AllMatches with every matching one in order.</remarks>
public static class FleetCustomizations
{
    /// <summary>Fleet's default customization names: <c>target000</c>, <c>target001</c>, …</summary>
    public static string DefaultName(int index) => $"target{index:000}";

    public static FleetClusterCustomization Resolve(FleetCustomizationInput input, FleetCluster cluster)
    {
        var groups = input.ClusterGroups;
        var customizations = input.TargetCustomizations;

        // Bundle.spec.targets = customizations, then GitRepo targets; GitRepo targets are also targetRestrictions.
        var restricted = input.GitRepoTargets.Count > 0 && !input.GitRepoTargets.Any(t => FleetMatcher.Matches(t, cluster, groups));
        var anyTarget = !restricted && (customizations.Any(c => FleetMatcher.Matches(c, cluster, groups)) ||
                                        input.GitRepoTargets.Any(t => FleetMatcher.Matches(t, cluster, groups)));
        if (!anyTarget)
            return new FleetClusterCustomization(false, [], null, "no GitRepo target selects this cluster");

        var matched = new List<(string Name, JsonObject Entry)>();
        for (var i = 0; i < customizations.Count; i++)
            if (FleetMatcher.Matches(customizations[i], cluster, groups))
                matched.Add((FleetMatcher.StringOrNull(customizations[i]["name"]) is { Length: > 0 } n ? n : DefaultName(i), customizations[i]));

        foreach (var (name, entry) in matched)
            if (entry["doNotDeploy"] is JsonValue v && v.TryGetValue<bool>(out var skip) && skip)
                return new FleetClusterCustomization(false, [.. matched.Select(m => m.Name)], null,
                    $"targetCustomization '{name}' has doNotDeploy: true");

        var applied = input.Mode == FleetTargetCustomizationMode.AllMatches ? matched : matched.Take(1).ToList();
        var options = (JsonObject)input.RootOptions.DeepClone();
        foreach (var (_, entry) in applied) options = FleetOptionsMerge.Merge(options, entry);
        return new FleetClusterCustomization(true, [.. applied.Select(m => m.Name)], options, null);
    }

    /// <summary>Resolves every cluster; the result keeps the clusters' order.</summary>
    public static IReadOnlyList<(string Cluster, FleetClusterCustomization Result)> ResolveAll(
        FleetCustomizationInput input, IEnumerable<FleetCluster> clusters) =>
        [.. clusters.Select(c => (c.Name, Resolve(input, c)))];
}
