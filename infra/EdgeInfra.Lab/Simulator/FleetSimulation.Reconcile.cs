using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Lab.Simulator;

internal sealed partial class FleetSimulation
{
    /// <summary>fleet.yaml keys that are not BundleDeploymentOptions (so not part of a deployment's options).</summary>
    private static readonly HashSet<string> NonOptionKeys = new(StringComparer.Ordinal)
    {
        "name", "labels", "rolloutStrategy", "targetCustomizations", "targetCustomizationMode", "overrideTargets",
        "imageScans", "dependsOn", "paused", "targets", "helmOpOptions", "contentsId",
    };

    /// <summary>Fields Fleet strips before hashing options: changing only these does not roll out (calculate.go DeploymentID).</summary>
    private static readonly string[] NotInDeploymentId = ["diff", "correctDrift"];

    private readonly Dictionary<string, BundleTargets> _targetCache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByOptions = new(StringComparer.Ordinal);

    /// <param name="DeploymentKey">The key of the cluster's BundleDeployment of the bundle (<c>namespace/name</c>), made
    /// once: a reconcile looks up every target's.</param>
    private sealed record ResolvedTarget(SimCluster Cluster, string DeploymentId, string DeploymentKey)
    {
        /// <summary>The target's BundleDeployment as last looked up, and the deployment set's count then.</summary>
        public (long Version, SimBundleDeployment? Deployment) Lookup { get; set; } = (-1, null);
    }

    /// <summary>The target's BundleDeployment (null when it has none yet), looked up again only after the set of
    /// BundleDeployments changed: a reconcile reads every target's, and the ordered map costs a string comparison per level.</summary>
    private SimBundleDeployment? DeploymentOf(ResolvedTarget target)
    {
        if (target.Lookup.Version == State.DeploymentSetVersion) return target.Lookup.Deployment;
        State.BundleDeployments.TryGetValue(target.DeploymentKey, out var bd);
        target.Lookup = (State.DeploymentSetVersion, bd);
        return bd;
    }

    /// <summary>A bundle's targets in cluster order, and by cluster name.</summary>
    private sealed record BundleTargets(List<ResolvedTarget> List, Dictionary<string, ResolvedTarget> ByName);

    internal void ScheduleReconcile(SimBundle b)
    {
        if (b.ReconcileScheduled) return;
        b.ReconcileScheduled = true;
        State.Queue.Schedule(State.Now + _setup.Settings.Agents.ControllerDelay, SimEventKind.Reconcile, b.Key);
    }

    private void Reconcile(string key, bool claimed)
    {
        if (!State.Bundles.TryGetValue(key, out var b)) return;
        if (!claimed && ClaimController(b)) return;
        b.ReconcileScheduled = false;
        var groups = Groups(b.Namespace);
        var targetsChanged = _targetsResolvedAtClaim.Remove(b.Key) | !_targetCache.ContainsKey(b.Key);
        var (targets, byName) = Targets(b, groups);
        var paused = (b.FleetYaml["paused"] is JsonValue pv && pv.TryGetValue<bool>(out var p) && p) ||
                     (State.GitRepos.TryGetValue(b.Namespace + "/" + b.GitRepo, out var repo) && repo.Paused);

        var input = new List<FleetTarget>(targets.Count);
        foreach (var t in targets)
        {
            var bd = DeploymentOf(t);
            input.Add(new FleetTarget(t.Cluster.Name, t.Cluster.Labels, t.Cluster.Paused, bd?.ForRules, t.DeploymentId));
        }
        string rootId;
        FleetRolloutStrategy? strategy;
        try
        {
            rootId = DeploymentId(b, RootOptions(b.FleetYaml));
            strategy = RolloutStrategyJson.Read(b.FleetYaml["rolloutStrategy"]);
        }
        catch (FleetReconcileException ex)
        {
            SetError(b, ex.Message);
            return;
        }
        var result = FleetRolloutPass.Run(new RolloutPassInput(input, rootId, strategy, groups, paused, b.Namespace));
        if (!result.Succeeded)
        {
            SetError(b, result.Error!);
            return;
        }
        b.Error = null;

        var changedSpec = 0;
        foreach (var name in result.Created)
        {
            var c = byName[name].Cluster;
            var bd = new SimBundleDeployment
            {
                Name = b.Name, Namespace = c.StatusNamespace, Cluster = c.Name, ClusterNamespace = c.Namespace,
                BundleName = b.Name, BundleNamespace = b.Namespace, Commit = b.Commit, Created = State.Now,
                ShardRef = b.Labels.GetValueOrDefault(ShardRefLabel) ?? "",
                ResourceVersion = NextResourceVersion(),
            };
            State.AddDeployment(bd);
            Log("bd-created", bd.Key);
        }
        var promoted = new HashSet<string>(result.Promoted, StringComparer.Ordinal);
        foreach (var (name, after) in result.Deployments)
        {
            var target = byName[name];
            var c = target.Cluster;
            var bd = DeploymentOf(target) ?? throw new KeyNotFoundException($"no BundleDeployment {target.DeploymentKey}");
            // Fleet rewrites every BD's labels from the bundle's on each reconcile (createBundle: CreateOrUpdate with
            // bd.Labels = the bundle's), so a commit that leaves a bundle's content alone still relabels all its BDs.
            // A label-only change is no spec change: it bumps no generation and, as Fleet's BD watch only reacts to
            // status changes, triggers no further reconcile.
            if (bd.Commit != b.Commit)
            {
                bd.Commit = b.Commit;
                bd.ResourceVersion = NextResourceVersion();
            }
            if (bd.StagedDeploymentId == after.StagedDeploymentID && bd.DeploymentId == after.DeploymentID) continue;
            if (bd.StagedDeploymentId != after.StagedDeploymentID) Log("bd-staged", bd.Key, after.StagedDeploymentID);
            bd.StagedDeploymentId = after.StagedDeploymentID;
            bd.Generation++;
            bd.ResourceVersion = NextResourceVersion();
            changedSpec++;
            if (bd.DeploymentId != after.DeploymentID && promoted.Contains(name))
            {
                bd.DeploymentId = after.DeploymentID;
                Log("bd-promoted", bd.Key, after.DeploymentID);
                StartApply(bd, c);
            }
        }

        // Fleet deletes the BundleDeployments of clusters the bundle no longer targets (only a new target list has any).
        var stales = targetsChanged
            ? State.BundleDeployments.Values.Where(x => x.BundleName == b.Name && x.BundleNamespace == b.Namespace && !byName.ContainsKey(x.Cluster)).ToList()
            : [];
        foreach (var stale in stales)
        {
            State.RemoveDeployment(stale.Key);
            Log("bd-deleted", stale.Key);
            changedSpec++;
        }

        var s = result.BundleStatus!;
        b.Status = new BundleStatusRecord(s.Summary, s.Unavailable, s.MaxUnavailable, s.UnavailablePartitions, s.MaxUnavailablePartitions,
            s.NewlyCreated, [.. result.Partitions.Select(x => new PartitionStatusRecord(x.Name, x.Count, x.MaxUnavailable, x.Unavailable, x.Summary))]);
        b.ObservedGeneration = b.Generation;
        b.ResourceVersion = NextResourceVersion();
        // Creating or updating BundleDeployments triggers the bundle's reconcile again, as in Fleet.
        if (result.Created.Count > 0 || changedSpec > 0) ScheduleReconcile(b);
    }

    private void SetError(SimBundle b, string error)
    {
        if (b.Error != error) Log("bundle-error", b.Key, error);
        b.Error = error;
        b.ResourceVersion = NextResourceVersion();
    }

    private List<FleetClusterGroup> Groups(string ns) =>
        [.. State.ClusterGroups.Values.Where(g => g.Namespace == ns).Select(g => new FleetClusterGroup(g.Name, g.Selector, g.Labels))];

    /// <summary>The bundle's targets with their deployment IDs; cached until the bundle, clusters or groups change.</summary>
    private BundleTargets Targets(SimBundle b, List<FleetClusterGroup> groups)
    {
        if (_targetCache.TryGetValue(b.Key, out var cached)) return cached;
        var repoTargets = State.GitRepos.TryGetValue(b.Namespace + "/" + b.GitRepo, out var r) ? r.Targets : [];
        // No GitRepo targets: Fleet's default target, the "default" cluster group.
        IReadOnlyList<JsonObject> allow = repoTargets.Count > 0 ? repoTargets : [new JsonObject { ["name"] = "default", ["clusterGroup"] = "default" }];
        var overrideTargets = (b.FleetYaml["overrideTargets"] as JsonArray)?.OfType<JsonObject>().ToList();
        if (overrideTargets is { Count: > 0 }) allow = overrideTargets;
        var mode = FleetMatcher.StringOrNull(b.FleetYaml["targetCustomizationMode"]) == "AllMatches"
            ? FleetTargetCustomizationMode.AllMatches : FleetTargetCustomizationMode.FirstMatch;
        var customizations = (b.FleetYaml["targetCustomizations"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var input = new FleetCustomizationInput(mode, RootOptions(b.FleetYaml), allow, customizations, groups);

        var result = new List<ResolvedTarget>();
        foreach (var c in State.Clusters.Values)
        {
            if (c.Namespace != b.Namespace) continue;
            var resolved = FleetCustomizations.Resolve(input, new FleetCluster(c.Name, c.Labels));
            if (!resolved.Deployed || resolved.Options is null) continue;
            result.Add(new ResolvedTarget(c, DeploymentId(b, resolved.Options), c.StatusNamespace + "/" + b.Name));
        }
        var targets = new BundleTargets(result, result.ToDictionary(t => t.Cluster.Name, StringComparer.Ordinal));
        _targetCache[b.Key] = targets;
        return targets;
    }

    private static JsonObject RootOptions(JsonObject fleetYaml)
    {
        var options = new JsonObject();
        foreach (var (k, v) in fleetYaml)
            if (!NonOptionKeys.Contains(k)) options[k] = v?.DeepClone();
        return options;
    }

    /// <summary>Fleet's deployment ID: the manifest ID, ':', and a digest of the options (without diff and correctDrift).</summary>
    private string DeploymentId(SimBundle b, JsonObject options)
    {
        var hashed = (JsonObject)options.DeepClone();
        foreach (var k in NotInDeploymentId) hashed.Remove(k);
        var canonical = JsonMerge.Canonical(hashed);
        var cacheKey = b.Key + "\n" + b.ManifestId + "\n" + canonical;
        if (_idByOptions.TryGetValue(cacheKey, out var id)) return id;
        id = b.ManifestId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        _idByOptions[cacheKey] = id;
        if (!State.Deployments.ContainsKey(id)) State.Deployments[id] = Describe(id, b, options);
        return id;
    }

    private DeploymentInfo Describe(string id, SimBundle b, JsonObject options)
    {
        var app = b.Labels.GetValueOrDefault(BundleRenderer.AppLabel) ?? b.Name;
        var version = b.Labels.GetValueOrDefault(BundleRenderer.ReleaseLabel) ?? b.Commit[..Math.Min(7, b.Commit.Length)];
        var ring = b.Labels.GetValueOrDefault(BundleRenderer.RingLabel) ?? b.GitRepo;
        var images = new SortedSet<string>(StringComparer.Ordinal);
        if (options["helm"]?["values"]?["image"] is JsonObject image && FleetMatcher.StringOrNull(image["repository"]) is { } repository)
            images.Add(repository + ":" + (FleetMatcher.StringOrNull(image["tag"]) ?? "latest"));
        if (_setup.Repo.Read(b.Commit).BundleDirs.TryGetValue(b.Path, out var dir))
            foreach (var resource in dir.Resources)
                foreach (Match m in ImageLine().Matches(resource.Content))
                    images.Add(m.Groups["image"].Value.Trim('"', '\''));
        var servesTraffic = options["helm"]?["chart"] is not null;
        return new DeploymentInfo(id, b.Name, app, version, ring, options, [.. images], servesTraffic);
    }

    [GeneratedRegex(@"^\s*(-\s*)?image:\s*(?<image>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();
}
