using System.Globalization;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.FleetRules.Explain;

/// <summary>Reads the explain input kinds (<c>partition</c>, <c>state</c>, <c>customization</c>) into the rules' typed inputs.</summary>
/// <remarks>Every problem is collected and thrown at once as <see cref="FleetExplainInputException"/>. Values Fleet
/// itself validates (such as <c>maxUnavailable: "ten"</c>) are passed through, so the pass reports Fleet's error.</remarks>
internal static class FleetExplainReader
{
    private static readonly string[] PartitionKeys =
        ["kind", "rolloutStrategy", "clusters", "generate", "clusterGroups", "bundlePaused", "newDeploymentID", "totalTargets", "clusterNamespace"];
    private static readonly string[] StrategyKeys =
        ["maxUnavailable", "maxUnavailablePartitions", "autoPartitionSize", "autoPartitionThreshold", "maxNew", "partitions"];
    private static readonly string[] PartitionDefinitionKeys =
        ["name", "maxUnavailable", "clusterName", "clusterSelector", "clusterGroup", "clusterGroupSelector"];
    private static readonly string[] ClusterKeys = ["name", "labels", "paused", "bd", "deploymentID"];
    private static readonly string[] GenerateKeys = ["count", "namePrefix", "labels", "paused", "bd", "deploymentID"];
    private static readonly string[] BdKeys =
        ["deploymentID", "stagedDeploymentID", "appliedDeploymentID", "ready", "nonModified", "deployedCondition"];
    private static readonly string[] GroupKeys = ["name", "selector", "labels"];

    public static RolloutPassInput Partition(JsonObject root)
    {
        var f = new JsonFields();
        f.OnlyKnown(root, "", PartitionKeys);
        var strategy = root["rolloutStrategy"] is null ? null : Strategy(f, f.Object(root, "rolloutStrategy", ""));
        var targets = new List<FleetTarget>();
        foreach (var (c, path) in f.Objects(root, "clusters", ""))
        {
            f.OnlyKnown(c, path, ClusterKeys);
            var name = f.String(c, "name", path, required: true) ?? "";
            targets.Add(new FleetTarget(name, f.Labels(c, "labels", path), f.Bool(c, "paused", path) ?? false,
                Deployment(f, c, path), f.String(c, "deploymentID", path)));
        }
        foreach (var (g, path) in f.Objects(root, "generate", ""))
        {
            f.OnlyKnown(g, path, GenerateKeys);
            var count = f.Int(g, "count", path) ?? 0;
            if (count < 0) f.Problem(JsonFields.Join(path, "count"), "must not be negative");
            var prefix = f.String(g, "namePrefix", path, required: true) ?? "";
            var labels = f.Labels(g, "labels", path);
            var paused = f.Bool(g, "paused", path) ?? false;
            var bd = Deployment(f, g, path);
            var id = f.String(g, "deploymentID", path);
            for (var i = 1; i <= count; i++)
                targets.Add(new FleetTarget(prefix + i.ToString(CultureInfo.InvariantCulture), labels, paused, bd, id));
        }
        CheckNames(f, targets.Select(t => t.Name));
        if (f.Int(root, "totalTargets", "") is { } total && total != targets.Count)
            f.Problem("totalTargets", $"says {total} but clusters and generate give {targets.Count}");

        var input = new RolloutPassInput(
            targets,
            f.String(root, "newDeploymentID", "", required: true) ?? "",
            strategy,
            Groups(f, root),
            f.Bool(root, "bundlePaused", "") ?? false,
            f.String(root, "clusterNamespace", "") ?? "fleet-default");
        ThrowIfAny(f);
        return input;
    }

    /// <summary>The <c>state</c> kind: named states in input order, and the workspace namespace for their names.</summary>
    public static (IReadOnlyList<(string Name, FleetBundleState State)> States, string ClusterNamespace) State(JsonObject root)
    {
        var f = new JsonFields();
        f.OnlyKnown(root, "", "kind", "statesOnly", "clusters", "newDeploymentID", "clusterNamespace");
        var statesOnly = f.Bool(root, "statesOnly", "") ?? false;
        var newId = f.String(root, "newDeploymentID", "");
        var states = new List<(string, FleetBundleState)>();
        foreach (var (c, path) in f.Objects(root, "clusters", ""))
        {
            var name = f.String(c, "name", path, required: true) ?? "";
            if (statesOnly)
            {
                f.OnlyKnown(c, path, "name", "state");
                var text = f.String(c, "state", path, required: true);
                if (text is null) continue;
                if (Enum.TryParse<FleetBundleState>(text, ignoreCase: false, out var s) && Enum.IsDefined(s) && !char.IsDigit(text[0]))
                    states.Add((name, s));
                else
                    f.Problem(JsonFields.Join(path, "state"), $"unknown state '{text}' (expected one of: {string.Join(", ", Enum.GetNames<FleetBundleState>())})");
            }
            else
            {
                f.OnlyKnown(c, path, "name", "bd", "deploymentID");
                var bd = Deployment(f, c, path);
                var id = f.String(c, "deploymentID", path) ?? newId;
                states.Add((name, id is null ? FleetStates.StateOf(bd) : FleetStates.EffectiveStateOf(bd, id)));
            }
        }
        CheckNames(f, states.Select(s => s.Item1));
        var ns = f.String(root, "clusterNamespace", "") ?? "fleet-default";
        ThrowIfAny(f);
        return (states, ns);
    }

    public static (FleetCustomizationInput Input, IReadOnlyList<FleetCluster> Clusters) Customization(JsonObject root)
    {
        var f = new JsonFields();
        f.OnlyKnown(root, "", "kind", "mode", "rootOptions", "gitRepoTargets", "targetCustomizations", "clusters", "clusterGroups");
        var modeText = f.String(root, "mode", "") ?? nameof(FleetTargetCustomizationMode.FirstMatch);
        var mode = FleetTargetCustomizationMode.FirstMatch;
        if (modeText == nameof(FleetTargetCustomizationMode.AllMatches)) mode = FleetTargetCustomizationMode.AllMatches;
        else if (modeText != nameof(FleetTargetCustomizationMode.FirstMatch))
            f.Problem("mode", $"must be FirstMatch or AllMatches, not '{modeText}'");
        var rootOptions = f.Object(root, "rootOptions", "") ?? [];
        var gitRepoTargets = f.Objects(root, "gitRepoTargets", "").Select(t => t.Item).ToList();
        var customizations = f.Objects(root, "targetCustomizations", "").Select(t => t.Item).ToList();
        var clusters = new List<FleetCluster>();
        foreach (var (c, path) in f.Objects(root, "clusters", ""))
        {
            f.OnlyKnown(c, path, "name", "labels");
            clusters.Add(new FleetCluster(f.String(c, "name", path, required: true) ?? "", f.Labels(c, "labels", path)));
        }
        CheckNames(f, clusters.Select(c => c.Name));
        var input = new FleetCustomizationInput(mode, rootOptions, gitRepoTargets, customizations, Groups(f, root));
        ThrowIfAny(f);
        return (input, clusters);
    }

    private static FleetRolloutStrategy? Strategy(JsonFields f, JsonObject? s)
    {
        if (s is null) return null;
        const string path = "rolloutStrategy";
        f.OnlyKnown(s, path, StrategyKeys);
        List<FleetPartitionDefinition>? partitions = null;
        if (s["partitions"] is not null)
        {
            partitions = [];
            foreach (var (p, pp) in f.Objects(s, "partitions", path))
            {
                f.OnlyKnown(p, pp, PartitionDefinitionKeys);
                partitions.Add(new FleetPartitionDefinition(
                    f.String(p, "name", pp) ?? "",
                    f.IntOrString(p, "maxUnavailable", pp),
                    f.String(p, "clusterName", pp),
                    f.Object(p, "clusterSelector", pp),
                    f.String(p, "clusterGroup", pp),
                    f.Object(p, "clusterGroupSelector", pp)));
            }
        }
        return new FleetRolloutStrategy(
            f.IntOrString(s, "maxUnavailable", path),
            f.IntOrString(s, "maxUnavailablePartitions", path),
            f.IntOrString(s, "autoPartitionSize", path),
            f.Int(s, "autoPartitionThreshold", path),
            f.Int(s, "maxNew", path),
            partitions);
    }

    private static FleetBundleDeployment? Deployment(JsonFields f, JsonObject owner, string ownerPath)
    {
        if (f.Object(owner, "bd", ownerPath) is not { } bd) return null;
        var path = JsonFields.Join(ownerPath, "bd");
        f.OnlyKnown(bd, path, BdKeys);
        bool? deployed = f.String(bd, "deployedCondition", path) switch
        {
            null => null,
            "True" => true,
            "False" => false,
            var other => Invalid(f, JsonFields.Join(path, "deployedCondition"), $"must be \"True\" or \"False\", not '{other}'"),
        };
        return new FleetBundleDeployment(
            f.String(bd, "deploymentID", path) ?? "",
            f.String(bd, "stagedDeploymentID", path) ?? "",
            f.String(bd, "appliedDeploymentID", path) ?? "",
            f.Bool(bd, "ready", path) ?? false,
            f.Bool(bd, "nonModified", path) ?? false,
            deployed);
    }

    private static bool? Invalid(JsonFields f, string path, string message)
    {
        f.Problem(path, message);
        return null;
    }

    private static List<FleetClusterGroup> Groups(JsonFields f, JsonObject root)
    {
        var groups = new List<FleetClusterGroup>();
        foreach (var (g, path) in f.Objects(root, "clusterGroups", ""))
        {
            f.OnlyKnown(g, path, GroupKeys);
            groups.Add(new FleetClusterGroup(f.String(g, "name", path, required: true) ?? "", f.Object(g, "selector", path),
                f.Labels(g, "labels", path)));
        }
        return groups;
    }

    private static void CheckNames(JsonFields f, IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Length == 0) continue;
            if (!seen.Add(name)) f.Problem("clusters", $"cluster '{name}' is listed more than once");
        }
    }

    private static void ThrowIfAny(JsonFields f)
    {
        if (f.Problems.Count > 0) throw new FleetExplainInputException(f.Problems);
    }
}
