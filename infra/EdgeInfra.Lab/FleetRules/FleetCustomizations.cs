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

/// <summary>Fleet's targeting and customization rules, ported from <c>internal/cmd/controller/target/builder.go</c>
/// (<c>Manager.Targets</c>) and <c>target/matcher/bundlematch.go</c> at Fleet v0.16.1 (commit 5823543a).</summary>
/// <remarks>
/// Bundle.spec.targets holds the targetCustomizations, then the GitRepo targets, which are also the bundle's
/// targetRestrictions. With restrictions (every GitRepo bundle) the first GitRepo target that matches selects the cluster:
/// customizations never add a cluster. Its own <c>doNotDeploy</c> skips the cluster and its options are the starting
/// target options. FirstMatch: the first matching customization alone decides; its <c>doNotDeploy</c> skips the cluster,
/// otherwise its options <em>replace</em> the target options, and a <c>doNotDeploy</c> entry after it is never looked at.
/// AllMatches: matching customizations merge into the target options in order, and any <c>doNotDeploy</c> among them
/// skips the cluster. Finally the bundle's root options are merged with the target options. Without restrictions (no
/// GitRepo targets: a bundle created by the CLI or Rancher) every entry is a plain target and the first that matches is
/// used the same way, whatever the mode.
/// </remarks>
public static class FleetCustomizations
{
    /// <summary>Fleet's default customization names: <c>target000</c>, <c>target001</c>, …</summary>
    public static string DefaultName(int index) => $"target{index:000}";

    public static FleetClusterCustomization Resolve(FleetCustomizationInput input, FleetCluster cluster)
    {
        var groups = input.ClusterGroups;
        var customizations = input.TargetCustomizations;
        var restricted = input.GitRepoTargets.Count > 0;

        // BundleMatch.Match: with restrictions only the GitRepo targets select; without, every target does.
        var candidates = restricted ? input.GitRepoTargets : customizations;
        var targetIndex = FirstMatch(candidates, cluster, groups);
        if (targetIndex < 0)
            return new FleetClusterCustomization(false, [], null,
                restricted ? "no GitRepo target selects this cluster" : "no target selects this cluster");
        var target = candidates[targetIndex];
        // bundlereader's setTargetNames names fleet.yaml entries only; GitRepo targets keep the name they were given.
        var targetName = restricted
            ? FleetMatcher.StringOrNull(target["name"]) is { Length: > 0 } n ? n : $"gitRepoTargets[{targetIndex}]"
            : Name(target, targetIndex);
        if (!restricted)
        {
            if (DoNotDeploy(target))
                return new FleetClusterCustomization(false, [targetName], null, $"target '{targetName}' has doNotDeploy: true");
            return new FleetClusterCustomization(true, [targetName], FleetOptionsMerge.Merge(input.RootOptions, target), null);
        }
        if (DoNotDeploy(target))
            return new FleetClusterCustomization(false, [], null, $"GitRepo target '{targetName}' has doNotDeploy: true");

        var targetOptions = target;
        var applied = new List<string>();
        if (input.Mode == FleetTargetCustomizationMode.AllMatches)
        {
            for (var i = 0; i < customizations.Count; i++)
            {
                if (!FleetMatcher.Matches(customizations[i], cluster, groups)) continue;
                applied.Add(Name(customizations[i], i));
                if (DoNotDeploy(customizations[i])) return Skipped(applied);
                targetOptions = FleetOptionsMerge.Merge(targetOptions, customizations[i]);
            }
        }
        else if (FirstMatch(customizations, cluster, groups) is var first and >= 0)
        {
            applied.Add(Name(customizations[first], first));
            if (DoNotDeploy(customizations[first])) return Skipped(applied);
            targetOptions = customizations[first];
        }
        return new FleetClusterCustomization(true, applied, FleetOptionsMerge.Merge(input.RootOptions, targetOptions), null);
    }

    private static FleetClusterCustomization Skipped(List<string> applied) =>
        new(false, applied, null, $"targetCustomization '{applied[^1]}' has doNotDeploy: true");

    private static int FirstMatch(IReadOnlyList<JsonObject> entries, FleetCluster cluster, IReadOnlyList<FleetClusterGroup>? groups)
    {
        for (var i = 0; i < entries.Count; i++)
            if (FleetMatcher.Matches(entries[i], cluster, groups)) return i;
        return -1;
    }

    private static string Name(JsonObject entry, int index) =>
        FleetMatcher.StringOrNull(entry["name"]) is { Length: > 0 } n ? n : DefaultName(index);

    private static bool DoNotDeploy(JsonObject entry) => entry["doNotDeploy"] is JsonValue v && v.TryGetValue<bool>(out var skip) && skip;

    /// <summary>Resolves every cluster; the result keeps the clusters' order.</summary>
    public static IReadOnlyList<(string Cluster, FleetClusterCustomization Result)> ResolveAll(
        FleetCustomizationInput input, IEnumerable<FleetCluster> clusters) =>
        [.. clusters.Select(c => (c.Name, Resolve(input, c)))];
}
