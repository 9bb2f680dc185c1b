using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.Simulator;

/// <summary>The simulated Fleet hub and its agents: an event queue advanced lazily to the clock's now.</summary>
/// <remarks>
/// Not thread-safe: <see cref="LabHub"/> serialises every call. Events are processed in (virtual time, sequence)
/// order and every random choice is a function of the seed, so a run is the same for a seed whatever the wall clock
/// or threads do. The Fleet rules themselves (targeting, customizations, partitions, promotion, states) are the pure
/// functions in <c>FleetRules</c>, called on every reconcile.
/// </remarks>
internal sealed partial class FleetSimulation
{
    public const int MaxEventLog = 200_000;

    private readonly SimulationSetup _setup;
    private readonly AgentSchedule _agents;
    private string? _headThisPass;

    public FleetSimulation(SimulationSetup setup, SimulationState state)
    {
        _setup = setup;
        State = state;
        _agents = new AgentSchedule(setup.Seed, setup.Settings.Agents, [.. setup.Settings.Offline, .. setup.Scenario.Offline], state.LabStart);
        if (state.Queue.Count == 0 && state.HubCommit.Length == 0 && !state.Started)
        {
            state.Started = true;
            state.Queue.Schedule(state.Now, SimEventKind.HubPoll, "hub");
        }
    }

    public SimulationState State { get; }

    public SimulationSetup Setup => _setup;

    public AgentSchedule Agents => _agents;

    /// <summary>True when something changed since the flag was last cleared (the caller persists then).</summary>
    public bool Dirty { get; set; }

    /// <summary>Processes every event due at or before <paramref name="now"/>, in order; the model then reads <paramref name="now"/>.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        _headThisPass = null;
        while (State.Queue.TryPeek(out var next) && next.At <= now)
        {
            var e = State.Queue.Dequeue();
            if (e.At > State.Now) State.Now = e.At;
            Process(e);
            Dirty = true;
        }
        if (now > State.Now)
        {
            State.Now = now;
            Dirty = true;
        }
    }

    private void Process(SimEvent e)
    {
        switch (e.Kind)
        {
            case SimEventKind.HubPoll: HubPoll(); break;
            case SimEventKind.GitRepoPoll: GitRepoPoll(e.Subject); break;
            case SimEventKind.Reconcile: Reconcile(e.Subject, claimed: e.Attempt == ClaimedReconcile); break;
            case SimEventKind.Register: Register(e.Subject); break;
            case SimEventKind.OfflineStart: OfflineStart(e.Subject); break;
            case SimEventKind.OfflineEnd: OfflineEnd(e.Subject); break;
            default: AgentStep(e); break;
        }
    }

    private string Head() => _headThisPass ??= _setup.Repo.HeadCommit();

    internal void Log(string kind, string subject, string detail = "")
    {
        var log = State.EventLog;
        if (log.Count >= MaxEventLog) log.RemoveRange(0, MaxEventLog / 10);
        log.Add(new LabEvent(State.Now, kind, subject, detail));
    }

    internal long NextResourceVersion() => ++State.ResourceVersion;

    // ---- hub/: Clusters, ClusterGroups, GitRepos ----

    private void HubPoll()
    {
        var head = Head();
        if (head != State.HubCommit)
        {
            var snapshot = _setup.Repo.Read(head);
            State.HubCommit = head;
            Log("hub-read", "hub", head);
            ApplyHub(snapshot);
        }
        State.Queue.Schedule(State.Now + _setup.HubPollInterval, SimEventKind.HubPoll, "hub");
    }

    private void ApplyHub(FleetRepoSnapshot snapshot)
    {
        var targetsChanged = false;
        var pausesChanged = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rc in snapshot.Clusters)
        {
            var key = rc.Namespace + "/" + rc.Name;
            seen.Add(key);
            if (!State.Clusters.TryGetValue(key, out var c))
            {
                c = new SimCluster
                {
                    Name = rc.Name, Namespace = rc.Namespace, ClientId = rc.ClientId, FirstSeen = State.Now, Created = State.Now,
                    StatusNamespace = ClusterNamespace(rc.Namespace, rc.Name),
                };
                Copy(rc.Labels, c.Labels);
                c.Paused = rc.Paused;
                c.OfflineWindows = _agents.WindowsFor(c.Name, c.Labels);
                c.ResourceVersion = NextResourceVersion();
                State.Clusters[key] = c;
                var registerAt = State.Now + DeterministicRandom.Jitter(_setup.Seed, _setup.Settings.Agents.Jitter, "register", c.Name);
                if (AgentSchedule.Covering(c.OfflineWindows, registerAt) is { } w) registerAt = _agents.ReturnCheckIn(c.Name, w);
                State.Queue.Schedule(registerAt, SimEventKind.Register, key);
                foreach (var window in c.OfflineWindows.Where(w => w.End > registerAt))
                {
                    if (window.Start > registerAt) State.Queue.Schedule(window.Start, SimEventKind.OfflineStart, key);
                    State.Queue.Schedule(_agents.ReturnCheckIn(c.Name, window), SimEventKind.OfflineEnd, key);
                }
                Log("cluster-added", key);
                targetsChanged = true;
            }
            else if (!SameLabels(c.Labels, rc.Labels) || c.Paused != rc.Paused)
            {
                // Which bundles target a cluster, and with which options, depends on its labels; pausing it only changes
                // what the rollout pass may do with the deployments it already has.
                if (SameLabels(c.Labels, rc.Labels)) pausesChanged = true;
                else targetsChanged = true;
                c.Labels.Clear();
                Copy(rc.Labels, c.Labels);
                c.Paused = rc.Paused;
                c.ResourceVersion = NextResourceVersion();
                Log("cluster-changed", key, rc.Paused ? "paused" : "");
            }
        }
        foreach (var key in State.Clusters.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            var c = State.Clusters[key];
            State.Clusters.Remove(key);
            foreach (var bd in State.BundleDeployments.Values.Where(b => b.Cluster == c.Name && b.ClusterNamespace == c.Namespace).ToList())
                State.RemoveDeployment(bd.Key);
            Log("cluster-removed", key);
            targetsChanged = true;
        }

        if (targetsChanged) State.ClusterSetVersion++;
        var groupsChanged = SyncGroups(snapshot);
        SyncGitRepos(snapshot);
        if (targetsChanged || groupsChanged) _targetCache.Clear();
        if (targetsChanged || groupsChanged || pausesChanged)
            foreach (var b in State.Bundles.Values) ScheduleReconcile(b);
    }

    private bool SyncGroups(FleetRepoSnapshot snapshot)
    {
        var changed = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rg in snapshot.ClusterGroups)
        {
            var key = rg.Namespace + "/" + rg.Name;
            seen.Add(key);
            var selectorText = rg.Selector?.ToJsonString() ?? "";
            if (State.ClusterGroups.TryGetValue(key, out var g) && SameLabels(g.Labels, rg.Labels) && (g.Selector?.ToJsonString() ?? "") == selectorText)
                continue;
            g ??= new SimClusterGroup { Name = rg.Name, Namespace = rg.Namespace, Created = State.Now };
            g.Labels.Clear();
            Copy(rg.Labels, g.Labels);
            g.Selector = (JsonObject?)rg.Selector?.DeepClone();
            g.ResourceVersion = NextResourceVersion();
            State.ClusterGroups[key] = g;
            changed = true;
        }
        foreach (var key in State.ClusterGroups.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            State.ClusterGroups.Remove(key);
            changed = true;
        }
        return changed;
    }

    private void SyncGitRepos(FleetRepoSnapshot snapshot)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rr in snapshot.GitRepos)
        {
            var key = rr.Namespace + "/" + rr.Name;
            seen.Add(key);
            var spec = (JsonObject)(rr.Document["spec"]?.DeepClone() ?? new JsonObject());
            if (State.GitRepos.TryGetValue(key, out var r) && r.Spec.ToJsonString() == spec.ToJsonString() && SameLabels(r.Labels, rr.Labels))
                continue;
            var isNew = r is null;
            r ??= new SimGitRepo { Name = rr.Name, Namespace = rr.Namespace, Created = State.Now, Generation = 0 };
            r.Spec = spec;
            r.Labels.Clear();
            Copy(rr.Labels, r.Labels);
            r.Paths = [.. rr.Paths];
            r.Targets = [.. rr.Targets.Select(t => (JsonObject)t.DeepClone())];
            r.PollingInterval = rr.PollingInterval;
            r.Paused = rr.Paused;
            r.Generation++;
            r.ResourceVersion = NextResourceVersion();
            State.GitRepos[key] = r;
            Log(isNew ? "gitrepo-added" : "gitrepo-changed", key);
            // A changed spec (paths, targets) is read again at once, as Fleet's gitjob does.
            r.Commit = "";
            if (!r.PollScheduled)
            {
                r.PollScheduled = true;
                State.Queue.Schedule(State.Now, SimEventKind.GitRepoPoll, key);
            }
        }
        foreach (var key in State.GitRepos.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            State.GitRepos.Remove(key);
            var name = key[(key.IndexOf('/') + 1)..];
            foreach (var b in State.Bundles.Values.Where(b => b.GitRepo == name && key.StartsWith(b.Namespace + "/", StringComparison.Ordinal)).ToList())
                RemoveBundle(b);
            Log("gitrepo-removed", key);
        }
    }

    // ---- a GitRepo's bundles ----

    private void GitRepoPoll(string key)
    {
        if (!State.GitRepos.TryGetValue(key, out var r)) return;
        r.PollScheduled = false;
        if (!HasController(r.Labels))
        {
            // No controller runs the GitRepo's shard: its gitjob never runs, so it never reads the repo or makes a Bundle
            // (rancher/fleet e2e sharding_test.go: "labeled with an unknown shard ID ... does not deploy the gitrepo").
            Log("gitrepo-unreconciled", key, $"shard {r.Labels[ShardRefLabel]} has no controller");
            return;
        }
        var head = Head();
        r.LastPolled = State.Now;
        if (head != r.Commit)
        {
            r.Commit = head;
            r.ResourceVersion = NextResourceVersion();
            Log("gitrepo-read", key, head);
            SyncBundles(r, _setup.Repo.Read(head));
        }
        r.PollScheduled = true;
        State.Queue.Schedule(State.Now + r.PollingInterval, SimEventKind.GitRepoPoll, key);
    }

    private void SyncBundles(SimGitRepo r, FleetRepoSnapshot snapshot)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in snapshot.BundleDirs.Values.Where(d => r.Paths.Count == 0 ? true : r.Paths.Any(p => PathMatches(p, d.Path))).OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            var name = FleetMatcher.StringOrNull(dir.FleetYaml["name"]) is { Length: > 0 } n ? n : BundleName(r.Name, dir.Path);
            var key = r.Namespace + "/" + name;
            if (!seen.Add(key)) continue;
            var contentHash = ContentHash(dir);
            var isNew = !State.Bundles.TryGetValue(key, out var b);
            b ??= new SimBundle { Name = name, Namespace = r.Namespace, GitRepo = r.Name, Created = State.Now, Generation = 0 };
            b.Commit = r.Commit;
            b.Path = dir.Path;
            b.Labels.Clear();
            if (dir.FleetYaml["labels"] is JsonObject labels)
                foreach (var (k, v) in labels)
                    if (FleetMatcher.StringOrNull(v) is { } s) b.Labels[k] = s;
            b.Labels["fleet.cattle.io/repo-name"] = r.Name;
            // Fleet's gitjob passes every GitRepo label to `fleet apply --label` (gitjob.go L742-748); of those the
            // simulator carries the shard's, which decides the controller that reconciles the Bundle and its BDs.
            if (r.Labels.TryGetValue(ShardRefLabel, out var shardRef)) b.Labels[ShardRefLabel] = shardRef;
            b.Labels["fleet.cattle.io/commit"] = r.Commit;
            if (b.ContentHash != contentHash)
            {
                b.ContentHash = contentHash;
                b.FleetYaml = (JsonObject)dir.FleetYaml.DeepClone();
                b.ManifestId = dir.ManifestId;
                b.Generation++;
                _targetCache.Remove(key);
                Log(isNew ? "bundle-created" : "bundle-updated", key, $"generation {b.Generation} {dir.ManifestId[..12]}");
            }
            b.ResourceVersion = NextResourceVersion();
            State.Bundles[key] = b;
            ScheduleReconcile(b);
        }
        foreach (var b in State.Bundles.Values.Where(b => b.GitRepo == r.Name && b.Namespace == r.Namespace && !seen.Contains(b.Key)).ToList())
            RemoveBundle(b);
    }

    private void RemoveBundle(SimBundle b)
    {
        State.Bundles.Remove(b.Key);
        _targetCache.Remove(b.Key);
        foreach (var bd in State.BundleDeployments.Values.Where(x => x.BundleName == b.Name && x.BundleNamespace == b.Namespace).ToList())
            State.RemoveDeployment(bd.Key);
        Log("bundle-deleted", b.Key);
    }

    /// <summary>Fleet's bundle name for a dir: <c>&lt;gitrepo&gt;-&lt;path with / as -&gt;</c>, lower-case (fleet.yaml <c>name</c> wins).</summary>
    internal static string BundleName(string gitRepo, string path)
    {
        var raw = (gitRepo + "/" + path).Trim('/').Replace('/', '-').ToLowerInvariant();
        return raw.Length <= 53 ? raw : raw[..47] + "-" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(raw)))[..5];
    }

    /// <summary>A GitRepo path (with <c>*</c> globs per segment) selects a bundle dir at or below it.</summary>
    internal static bool PathMatches(string pattern, string dir)
    {
        var p = pattern.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var d = dir.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length == 0) return true;
        if (d.Length < p.Length) return false;
        for (var i = 0; i < p.Length; i++)
            if (!GlobSegment(p[i], d[i])) return false;
        return true;
    }

    private static bool GlobSegment(string pattern, string text)
    {
        if (pattern == "*") return true;
        if (!pattern.Contains('*')) return pattern == text;
        var parts = pattern.Split('*');
        if (!text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal)) return false;
        var pos = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var at = text.IndexOf(parts[i], pos, StringComparison.Ordinal);
            if (at < 0) return false;
            pos = at + parts[i].Length;
        }
        return pos <= text.Length - parts[^1].Length;
    }

    /// <summary>Fleet's per-cluster namespace: <c>cluster-&lt;workspace&gt;-&lt;name&gt;-&lt;hash&gt;</c>.</summary>
    internal static string ClusterNamespace(string workspace, string name)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace + "/" + name)))[..12];
        var ns = $"cluster-{workspace}-{name}";
        if (ns.Length > 63 - 13) ns = ns[..(63 - 13)];
        return ns.TrimEnd('-') + "-" + hash;
    }

    private static string ContentHash(RepoBundleDir dir) =>
        dir.ManifestId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonMerge.Canonical(dir.FleetYaml))));

    private static void Copy(IReadOnlyDictionary<string, string> from, SortedDictionary<string, string> to)
    {
        foreach (var (k, v) in from) to[k] = v;
    }

    private static bool SameLabels(SortedDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && b.All(kv => a.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
