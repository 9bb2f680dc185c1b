using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Text;
using EdgeInfra.Components.Yaml;
using LibGit2Sharp;

namespace EdgeInfra.Lab.Simulator;

/// <summary>Reads the fleet repo EdgeInfra wrote (a local bare repo) the way Fleet's hub does: the branch head and its files.</summary>
/// <remarks>Snapshots are cached by commit: a commit never changes, so a poll that finds the same head costs one ref lookup.</remarks>
internal sealed class FleetRepoReader(string repoPath, string branch)
{
    private readonly Dictionary<string, FleetRepoSnapshot> _byCommit = new(StringComparer.Ordinal);

    /// <summary>Hub objects (<see cref="RepoCluster"/>, <see cref="RepoClusterGroup"/>, <see cref="RepoGitRepo"/>, or
    /// null for a document that is none) by blob id: a ring's commit rewrites a few files, so the next snapshot reads
    /// only those, and hands out the same objects for the rest.</summary>
    private readonly Dictionary<ObjectId, object?> _hubObjects = [];

    /// <summary>Each bundle dir as last read, with the blob ids it was read from: unchanged, it is not read again.</summary>
    private readonly Dictionary<string, (ObjectId FleetYaml, List<(string Path, ObjectId Blob)> Files, RepoBundleDir Dir)> _bundleDirs =
        new(StringComparer.Ordinal);

    public string RepoPath => repoPath;

    /// <summary>The branch head's commit id, or "" when the repo or branch does not exist yet (nothing pushed).</summary>
    public string HeadCommit()
    {
        if (LooseRef() is { } sha) return sha;
        if (!Directory.Exists(repoPath)) return "";
        using var repo = new Repository(repoPath);
        var b = repo.Branches[branch] ?? repo.Branches[$"origin/{branch}"];
        return b?.Tip?.Sha ?? "";
    }

    /// <summary>The branch's loose ref of a bare repo, read as a file: git writes it whole (a lock file renamed over it)
    /// and, when present, it is what the branch points at (packed refs only count for refs with no loose file). The
    /// simulator asks at every reconcile pass; opening the repository for it cost more than the pass. Null when there is
    /// no loose ref holding a commit id (then the repository is asked).</summary>
    private string? LooseRef()
    {
        var path = Path.Combine(repoPath, "refs", "heads", branch);
        if (!File.Exists(path)) return null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var sha = text.TrimEnd('\n', '\r');
        return sha.Length == 40 && sha.All(char.IsAsciiHexDigitLower) ? sha : null;
    }

    /// <summary>The snapshot of <paramref name="commit"/> ("" = the empty repo).</summary>
    public FleetRepoSnapshot Read(string commit)
    {
        if (commit.Length == 0) return FleetRepoSnapshot.Empty;
        if (_byCommit.TryGetValue(commit, out var cached)) return cached;
        using var repo = new Repository(repoPath);
        var c = repo.Lookup<Commit>(commit) ?? throw new InvalidOperationException($"fleet repo {repoPath} has no commit {commit}");
        var files = new SortedDictionary<string, Blob>(StringComparer.Ordinal);
        Collect(c.Tree, "", files);
        var snapshot = Parse(commit, files);
        _byCommit[commit] = snapshot;
        return snapshot;
    }

    private static void Collect(Tree tree, string prefix, SortedDictionary<string, Blob> files)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            if (entry.TargetType == TreeEntryTargetType.Tree) Collect((Tree)entry.Target, path + "/", files);
            else if (entry.TargetType == TreeEntryTargetType.Blob) files[path] = (Blob)entry.Target;
        }
    }

    private FleetRepoSnapshot Parse(string commit, SortedDictionary<string, Blob> files)
    {
        var clusters = new List<RepoCluster>();
        var groups = new List<RepoClusterGroup>();
        var gitRepos = new List<RepoGitRepo>();
        foreach (var (path, blob) in files)
        {
            if (!path.StartsWith(FleetRepoLayout.HubDir + "/", StringComparison.Ordinal) || !path.EndsWith(".yaml", StringComparison.Ordinal)) continue;
            if (!_hubObjects.TryGetValue(blob.Id, out var hubObject)) _hubObjects[blob.Id] = hubObject = HubObject(blob);
            switch (hubObject)
            {
                case RepoCluster cluster: clusters.Add(cluster); break;
                case RepoClusterGroup group: groups.Add(group); break;
                case RepoGitRepo gitRepo: gitRepos.Add(gitRepo); break;
            }
        }

        var bundleDirs = new Dictionary<string, RepoBundleDir>(StringComparer.Ordinal);
        foreach (var (path, blob) in files)
        {
            if (path != FleetRepoLayout.FleetYamlName && !path.EndsWith("/" + FleetRepoLayout.FleetYamlName, StringComparison.Ordinal)) continue;
            var dir = path.Length == FleetRepoLayout.FleetYamlName.Length ? "" : path[..^(FleetRepoLayout.FleetYamlName.Length + 1)];
            if (dir == FleetRepoLayout.HubDir) continue;
            var prefix = dir.Length == 0 ? "" : dir + "/";
            var inDir = new List<(string Path, ObjectId Blob)>();
            foreach (var (other, otherBlob) in files)
                if (other.StartsWith(prefix, StringComparison.Ordinal) && other != path && !NestedBundle(other, prefix, files))
                    inDir.Add((other, otherBlob.Id));
            if (_bundleDirs.TryGetValue(dir, out var known) && known.FleetYaml == blob.Id && known.Files.SequenceEqual(inDir))
            {
                bundleDirs[dir] = known.Dir;
                continue;
            }
            var fleetYaml = YamlJsonReader.Read(blob.GetContentText()) as JsonObject ?? new JsonObject();
            var resources = inDir.Select(f => new BundleResource(f.Path[prefix.Length..], files[f.Path].GetContentText())).ToList();
            var read = new RepoBundleDir(dir, fleetYaml, resources, ManifestId(resources, fleetYaml));
            _bundleDirs[dir] = (blob.Id, inDir, read);
            bundleDirs[dir] = read;
        }
        return new FleetRepoSnapshot(commit, clusters, groups, gitRepos, bundleDirs.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The hub object a file of the hub dir declares (a Cluster, ClusterGroup or GitRepo), or null.</summary>
    private static object? HubObject(Blob blob)
    {
        if (YamlJsonReader.Read(blob.GetContentText()) is not JsonObject doc) return null;
        var meta = doc["metadata"] as JsonObject;
        var name = meta?["name"]?.GetValue<string>();
        if (name is null) return null;
        var ns = meta?["namespace"]?.GetValue<string>() ?? "default";
        var labels = Labels(meta?["labels"]);
        var spec = doc["spec"] as JsonObject ?? new JsonObject();
        switch (doc["kind"]?.GetValue<string>())
        {
            case "Cluster":
                return new RepoCluster(name, ns, labels, Bool(spec["paused"]), FleetMatcher.StringOrNull(spec["clientID"]) ?? name);
            case "ClusterGroup":
                return new RepoClusterGroup(name, ns, spec["selector"] as JsonObject, labels, doc);
            case "GitRepo":
                var paths = (spec["paths"] as JsonArray)?.Select(p => p?.GetValue<string>() ?? "").Where(p => p.Length > 0).ToList() ?? [];
                var targets = (spec["targets"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                var interval = TimeSpan.FromSeconds(15); // Fleet's default polling interval
                if (spec["pollingInterval"]?.GetValue<string>() is { } text && LabConfigDuration(text) is { } parsed && parsed > TimeSpan.Zero)
                    interval = parsed;
                return new RepoGitRepo(name, ns, labels, paths, targets, interval, Bool(spec["paused"]), doc);
            default:
                return null;
        }
    }

    // A file inside a deeper dir that has a fleet.yaml of its own belongs to that bundle, not this one.
    private static bool NestedBundle(string file, string prefix, SortedDictionary<string, Blob> files)
    {
        var rest = file[prefix.Length..];
        var slash = rest.IndexOf('/');
        while (slash >= 0)
        {
            if (files.ContainsKey(prefix + rest[..slash] + "/" + FleetRepoLayout.FleetYamlName)) return true;
            slash = rest.IndexOf('/', slash + 1);
        }
        return false;
    }

    /// <summary>Fleet's manifest ID: a digest of the bundle's resources (a chart from a Helm repo is fetched at apply
    /// time, so its reference stands in for its contents).</summary>
    private static string ManifestId(IReadOnlyList<BundleResource> resources, JsonObject fleetYaml)
    {
        var sb = new StringBuilder();
        foreach (var r in resources) sb.Append(r.Name).Append('\0').Append(r.Content).Append('\0');
        if (fleetYaml["helm"] is JsonObject helm)
            foreach (var key in new[] { "repo", "chart", "version" })
                sb.Append(key).Append('\0').Append(FleetMatcher.StringOrNull(helm[key])).Append('\0');
        return "s-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    internal static IReadOnlyDictionary<string, string> Labels(JsonNode? node)
    {
        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
            foreach (var (k, v) in o)
                if (FleetMatcher.StringOrNull(v) is { } s) labels[k] = s;
        return labels.ToImmutable();
    }

    private static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static TimeSpan? LabConfigDuration(string text) => DurationText.TryParse(text, out var d, allowMilliseconds: true) ? d : null;
}
