using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Yaml;
using YamlDotNet.Core;

namespace EdgeInfra.Components.Lint;

/// <summary>Finds what Fleet accepts but silently gets wrong in fleet.yaml and GitRepo content, rendered or hand-written.</summary>
/// <remarks>
/// Rules: GitRepo without <c>pollingInterval</c> (a webhook then patches it to 1h); integer <c>maxUnavailable: 0</c>
/// (updates deadlock) or a non-percentage string (reconcile error); manual partitions leaving a target cluster
/// unmatched (never deployed, rancher/fleet#3828); a cluster in two partitions (counted twice); a targetCustomization
/// whose every matched cluster is already matched earlier (dead under FirstMatch); a GitRepo labelled with a controller
/// shard the hub does not run (reconciled by nobody).
/// </remarks>
public static partial class FleetLint
{
    private const int NamesShown = 10;
    private const string DisplayNameLabel = FleetMatcher.DisplayNameLabel;

    /// <summary>Lints a file by its content: a GitRepo document, or otherwise a fleet.yaml.</summary>
    /// <param name="clusters">The clusters the bundle targets (for a ring bundle: the ring's stores).</param>
    /// <param name="shards">The hub's controller shards, checked against a GitRepo's shard-ref label; null: not checked.</param>
    public static IReadOnlyList<LintFinding> LintFile(string file, string yaml, IReadOnlyList<FleetCluster> clusters,
        IReadOnlyList<FleetClusterGroup>? groups = null, IReadOnlyCollection<string>? shards = null)
    {
        IReadOnlyList<JsonNode?> docs;
        try { docs = YamlJsonReader.ReadAll(yaml); }
        catch (YamlException e)
        {
            return [new LintFinding($"{file}:{e.Start.Line}", LintRules.Unparsable, e.Message)];
        }
        var findings = new List<LintFinding>();
        foreach (var doc in docs.OfType<JsonObject>())
        {
            if (FleetMatcher.StringOrNull(doc["kind"]) == "GitRepo") findings.AddRange(LintGitRepo(file, doc, shards));
            else if (doc["kind"] is null) findings.AddRange(LintBundle(file, doc, clusters, groups));
        }
        return findings;
    }

    /// <summary>Lints every fleet.yaml and GitRepo among rendered files (e.g. one ring stack's) against the ring's stores.</summary>
    /// <param name="shards">The controller shards the hub runs (<c>edge-infra:fleet.shards</c>): a GitRepo labelled
    /// with another shard is a finding. A sharded ring's bundle (<c>apps/&lt;app&gt;/&lt;ring&gt;/&lt;shard&gt;/</c>) is
    /// linted against that shard's stores only.</param>
    public static IReadOnlyList<LintFinding> LintRendered(IEnumerable<RenderedFile> files, IEnumerable<Model.Store> ringStores,
        IReadOnlyCollection<string>? shards = null)
    {
        var clusters = ringStores.Select(s => new FleetCluster(s.Id, s.Labels)).ToList();
        var byShard = new Dictionary<string, List<FleetCluster>>(StringComparer.Ordinal);
        var findings = new List<LintFinding>();
        foreach (var f in files)
        {
            var isBundle = f.Path.EndsWith("/" + FleetRepoLayout.FleetYamlName, StringComparison.Ordinal) && f.Path != FleetRepoLayout.HubFleetYaml;
            var isGitRepo = f.Path.StartsWith("hub/gitrepos/", StringComparison.Ordinal) || f.Path == FleetRepoLayout.BootstrapHubGitRepo;
            if (!isBundle && !isGitRepo) continue;
            var targets = clusters;
            if (isBundle && shards is { Count: > 0 } && f.Path.Split('/') is [_, _, _, var shard, _] && shards.Contains(shard))
            {
                if (!byShard.TryGetValue(shard, out targets))
                    byShard[shard] = targets = [.. clusters.Where(c => c.Labels.GetValueOrDefault(Sharding.FleetSharding.StoreShardLabel) == shard)];
            }
            findings.AddRange(LintFile(f.Path, f.Content, targets, shards: shards));
        }
        return findings;
    }

    /// <param name="shards">The hub's controller shards; null: the label is not checked (no config to check against).</param>
    public static IReadOnlyList<LintFinding> LintGitRepo(string file, JsonObject gitRepo, IReadOnlyCollection<string>? shards = null)
    {
        var name = FleetMatcher.StringOrNull(gitRepo["metadata"]?["name"]) ?? "<unnamed>";
        var findings = new List<LintFinding>();
        var polling = gitRepo["spec"]?["pollingInterval"];
        if (FleetMatcher.StringOrNull(polling) is not { Length: > 0 })
            findings.Add(new LintFinding(file, LintRules.PollingInterval,
                $"GitRepo '{name}' has no spec.pollingInterval; Fleet polls every 15s and a webhook silently changes it to 1h. Set it explicitly."));
        // rancher/fleet pkg/sharding/sharding.go ShouldProcess: only the controller started with that --shard-id takes
        // the GitRepo, and the default one never does; no controller runs its gitjob, so nothing is ever deployed.
        if (shards is not null && FleetMatcher.StringOrNull(gitRepo["metadata"]?["labels"]?[Sharding.FleetSharding.ShardRefLabel]) is { } shardRef &&
            !shards.Contains(shardRef))
            findings.Add(new LintFinding(file, LintRules.ShardUnknown,
                $"GitRepo '{name}' is labelled {Sharding.FleetSharding.ShardRefLabel}={shardRef}, a shard the hub does not run " +
                $"(edge-infra:fleet.shards: {(shards.Count == 0 ? "none" : string.Join(", ", shards))}); no Fleet controller would reconcile it and nothing of it would deploy."));
        return findings;
    }

    /// <summary>Lints one parsed fleet.yaml against the clusters its bundle targets.</summary>
    public static IReadOnlyList<LintFinding> LintBundle(string file, JsonObject fleetYaml, IReadOnlyList<FleetCluster> clusters,
        IReadOnlyList<FleetClusterGroup>? groups = null)
    {
        var findings = new List<LintFinding>();
        var strategy = fleetYaml["rolloutStrategy"] as JsonObject;
        if (strategy is not null)
        {
            CheckMaxUnavailable(file, strategy["maxUnavailable"], "rolloutStrategy.maxUnavailable", findings);
            if (strategy["partitions"] is JsonArray partitions) CheckPartitions(file, partitions, clusters, groups, findings);
        }
        var mode = FleetMatcher.StringOrNull(fleetYaml["targetCustomizationMode"]);
        if (mode != "AllMatches" && fleetYaml["targetCustomizations"] is JsonArray customizations)
            CheckShadowing(file, customizations, clusters, groups, findings);
        return findings;
    }

    private static void CheckMaxUnavailable(string file, JsonNode? value, string where, List<LintFinding> findings)
    {
        if (value is not JsonValue v) return;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number when v.TryGetValue<int>(out var n) && n == 0:
                findings.Add(new(file, LintRules.MaxUnavailableZero,
                    $"{where} is integer 0: Fleet never promotes an available cluster, so updates deadlock. Use 1 or a percentage."));
                break;
            case JsonValueKind.String when !PercentPattern().IsMatch(v.GetValue<string>()):
                findings.Add(new(file, LintRules.MaxUnavailableInvalid,
                    $"{where} '{v.GetValue<string>()}' is a string but not a percentage; Fleet fails to reconcile the bundle. Use an unquoted integer or \"N%\"."));
                break;
        }
    }

    private static void CheckPartitions(string file, JsonArray partitions, IReadOnlyList<FleetCluster> clusters,
        IReadOnlyList<FleetClusterGroup>? groups, List<LintFinding> findings)
    {
        var memberships = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < partitions.Count; i++)
        {
            if (partitions[i] is not JsonObject p) continue;
            var name = FleetMatcher.StringOrNull(p["name"]) ?? $"#{i + 1}";
            CheckMaxUnavailable(file, p["maxUnavailable"], $"partition '{name}' maxUnavailable", findings);
            foreach (var c in clusters)
            {
                if (!FleetMatcher.Matches(p, c, groups)) continue;
                if (!memberships.TryGetValue(c.Name, out var list)) memberships[c.Name] = list = [];
                list.Add(name);
            }
        }
        var unmatched = clusters.Where(c => !memberships.ContainsKey(c.Name)).Select(c => c.Name).ToList();
        if (unmatched.Count > 0)
            findings.Add(new(file, LintRules.PartitionUnmatched,
                $"{unmatched.Count} target cluster(s) match no partition and would never be deployed (rancher/fleet#3828): " +
                $"{Names(unmatched)}. End the list with a catch-all partition."));
        var doubled = memberships.Where(m => m.Value.Count > 1).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        if (doubled.Count > 0)
            findings.Add(new(file, LintRules.PartitionOverlap,
                $"{doubled.Count} cluster(s) are in more than one partition and are counted twice: " +
                $"{Names(doubled.Select(d => $"{d.Key} ({string.Join(", ", d.Value)})").ToList())}. Make partition selectors exclusive."));
    }

    private static void CheckShadowing(string file, JsonArray customizations, IReadOnlyList<FleetCluster> clusters,
        IReadOnlyList<FleetClusterGroup>? groups, List<LintFinding> findings)
    {
        var byName = clusters.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var matchedEarlier = new HashSet<string>(StringComparer.Ordinal);
        var byNameOnly = !clusters.Any(c => c.Labels.ContainsKey(DisplayNameLabel)) ? byName : null;
        for (var i = 0; i < customizations.Count; i++)
        {
            if (customizations[i] is not JsonObject c) continue;
            var name = FleetMatcher.StringOrNull(c["name"]) ?? $"#{i + 1}";
            var matched = Matching(c, clusters, byNameOnly, groups);
            if (matched.Count > 0 && matched.All(matchedEarlier.Contains))
                findings.Add(new(file, LintRules.CustomizationShadowed,
                    $"targetCustomization '{name}' never applies: every cluster it matches ({Names(matched)}) already matches an earlier customization (FirstMatch)."));
            matchedEarlier.UnionWith(matched);
        }
    }

    /// <summary>The clusters a matcher selects; a plain <c>clusterName</c> matcher is a lookup, not a scan.</summary>
    /// <param name="byName">Clusters by name, or null when display-name labels make name matching a scan.</param>
    internal static List<string> Matching(JsonObject matcher, IReadOnlyList<FleetCluster> clusters,
        IReadOnlyDictionary<string, FleetCluster>? byName, IReadOnlyList<FleetClusterGroup>? groups)
    {
        var onlyName = matcher["clusterSelector"] is null && matcher["clusterGroup"] is null && matcher["clusterGroupSelector"] is null;
        if (byName is not null && onlyName && FleetMatcher.StringOrNull(matcher["clusterName"]) is { Length: > 0 } clusterName)
            return byName.ContainsKey(clusterName) ? [clusterName] : [];
        return clusters.Where(c => FleetMatcher.Matches(matcher, c, groups)).Select(c => c.Name).ToList();
    }

    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= NamesShown ? string.Join(", ", names) : string.Join(", ", names.Take(NamesShown)) + $", … ({names.Count - NamesShown} more)";

    [GeneratedRegex(@"^[0-9]+%\z")]
    private static partial Regex PercentPattern();
}
