using System.Globalization;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab.FleetRules;
using EdgeInfra.Lab.Simulator;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Lab.Hub;

/// <summary>Reads the lab hub's objects in process as the hub client's types: the snapshot
/// <see cref="FleetHubClient.ReadSnapshotAsync(string, CancellationToken)"/> (and its open-rings overload) reads over
/// HTTP, built straight from the simulator's objects.</summary>
/// <remarks>
/// For the rehearsal, a prediction run in one process over a throw-away lab: a status read per gate evaluation that
/// serialised every Cluster and BundleDeployment and parsed them back was most of its time. The lists, selectors and
/// order are the HTTP hub's (<see cref="HubListCache"/>); each field is what <see cref="KubeJsonWriter"/> writes and the
/// client's types keep (a field the JSON leaves out is null here too), so a status read classifies the same stores the
/// same way (LabHubSnapshotsTests compares both, object by object).
/// </remarks>
public sealed class LabHubSnapshots(LabHub hub)
{
    /// <inheritdoc cref="FleetHubClient.ReadSnapshotAsync(string, CancellationToken)"/>
    public Task<HubSnapshot> ReadSnapshotAsync(string workspace, CancellationToken cancellationToken) =>
        Task.FromResult(hub.Read(sim => Snapshot(sim, workspace, null, null)));

    /// <inheritdoc cref="FleetHubClient.ReadSnapshotAsync(string, string, IReadOnlySet{string}, CancellationToken)"/>
    public Task<HubSnapshot> ReadSnapshotAsync(string workspace, string clusterSelector, IReadOnlySet<string> gitRepos,
        CancellationToken cancellationToken) =>
        Task.FromResult(hub.Read(sim => Snapshot(sim, workspace, clusterSelector, gitRepos)));

    private HubSnapshot Snapshot(FleetSimulation sim, string workspace, string? clusterSelector, IReadOnlySet<string>? gitRepos)
    {
        var cache = hub.ServingCache(sim);
        List<T> List<T>(string plural, string? ns, string selector, Func<HubListEntry, T> map) =>
            [.. cache.List(sim, plural, ns, selector, LabelSelector.Parse(selector)).Select(map)];

        Forget(sim);
        var clusters = Members(sim, cache, "clusters", workspace, clusterSelector ?? "").Select(e => Cluster(sim, cache, (SimCluster)e)).ToList();
        var repos = List("gitrepos", workspace, "", e => GitRepo(sim, cache, (SimGitRepo)e.Item));
        var bundles = List("bundles", workspace, "", e => Bundle((SimBundle)e.Item));
        string? selector = $"{FleetLabels.BundleNamespace}={workspace}";
        if (gitRepos is not null)
        {
            var names = bundles.Where(b => b.Metadata.Label(FleetLabels.RepoName) is { } repo && gitRepos.Contains(repo))
                .Select(b => b.Metadata.Name).Order(StringComparer.Ordinal).ToList();
            selector = names.Count == 0 ? null : $"{selector},{FleetLabels.BundleName} in ({string.Join(",", names)})";
        }
        var deployments = selector is null ? [] : Members(sim, cache, "bundledeployments", null, selector).Select(e => BundleDeployment(cache, (SimBundleDeployment)e)).ToList();
        return new HubSnapshot(clusters, repos, bundles, deployments);
    }

    /// <summary>The objects a list of Clusters or BundleDeployments holds, in list order, kept while the set of them
    /// stands: the hub's list indexes are dropped at every resource version (a rollout moves one every few seconds),
    /// while a read's selectors match on what only adding, removing or relabelling a Cluster changes, and on a
    /// BundleDeployment's bundle, which is its own for life.</summary>
    private object[] Members(FleetSimulation sim, HubListCache cache, string plural, string? ns, string selector)
    {
        var set = (sim.State, sim.State.ClusterSetVersion, sim.State.DeploymentSetVersion, sim.State.Bundles.Count);
        if (set != _membersOf)
        {
            _members.Clear();
            _membersOf = set;
        }
        var key = (plural, ns, selector);
        if (!_members.TryGetValue(key, out var members))
            _members[key] = members = [.. cache.List(sim, plural, ns, selector, LabelSelector.Parse(selector)).Select(e => e.Item)];
        return members;
    }

    private readonly Dictionary<(string Plural, string? Ns, string Selector), object[]> _members = [];
    private (SimulationState? State, long Clusters, long Deployments, int Bundles) _membersOf;

    // A gate evaluation reads the open rings every poll, and between two polls most objects did not move: each object's
    // client form is kept with the resource version it was made at (for a Cluster, the version the hub serves, which
    // moves with the agent's check-ins too), and made again only when that moved. Readers never change what they are given.
    private readonly Dictionary<SimCluster, (RenderedVersion Version, HubCluster Made)> _clusters = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SimBundleDeployment, (long ResourceVersion, HubBundleDeployment Made)> _deployments = new(ReferenceEqualityComparer.Instance);

    /// <summary>Drops what was kept of objects that may be gone (a bound, not a sweep: the kept forms of live objects are
    /// simply made again).</summary>
    private void Forget(FleetSimulation sim)
    {
        if (_clusters.Count > 2 * sim.State.Clusters.Count + 16) _clusters.Clear();
        if (_deployments.Count > 2 * sim.State.BundleDeployments.Count + 16) _deployments.Clear();
    }

    private HubCluster Cluster(FleetSimulation sim, HubListCache cache, SimCluster c)
    {
        var seen = sim.Agents.LastSeen(c, sim.State.Now);
        var version = ServedVersions.Cluster(c, seen, cache.DeploymentsIn(sim, c.StatusNamespace));
        if (_clusters.TryGetValue(c, out var kept) && kept.Version == version) return kept.Made;
        var served = ServedVersions.ResourceVersion(version);
        var made = kept.Made is { } before && kept.Version.Own == c.ResourceVersion
            // The Cluster itself was not written: only its agent checked in (every store does, every interval) or its
            // BundleDeployments moved. Its spec and labels stand.
            ? new HubCluster
            {
                Metadata = new HubObjectMeta
                {
                    Name = before.Metadata.Name, Namespace = before.Metadata.Namespace, Generation = before.Metadata.Generation, ResourceVersion = served,
                    CreationTimestamp = before.Metadata.CreationTimestamp, Labels = before.Metadata.Labels,
                },
                Spec = before.Spec,
                Status = Status(c, seen),
            }
            : Cluster(c, served, seen);
        _clusters[c] = (version, made);
        return made;
    }

    private HubBundleDeployment BundleDeployment(HubListCache cache, SimBundleDeployment bd)
    {
        if (_deployments.TryGetValue(bd, out var kept) && kept.ResourceVersion == bd.ResourceVersion) return kept.Made;
        var made = MakeBundleDeployment(cache, bd);
        _deployments[bd] = (bd.ResourceVersion, made);
        return made;
    }

    private static HubCluster Cluster(SimCluster c, string version, DateTimeOffset? seen) => new()
    {
        Metadata = Meta(c.Name, c.Namespace, version, 1, c.Created, c.Labels),
        Spec = new HubClusterSpec { ClientId = c.ClientId, Paused = c.Paused ? true : null },
        Status = Status(c, seen),
    };

    private static HubClusterStatus Status(SimCluster c, DateTimeOffset? seen) => new()
    {
        Namespace = c.StatusNamespace,
        Agent = new HubAgentStatus
        {
            LastSeen = seen is { } at ? KubeJsonWriter.Time(at) : null,
            Namespace = KubeJsonWriter.AgentNamespace,
        },
    };

    private static HubGitRepo GitRepo(FleetSimulation sim, HubListCache cache, SimGitRepo r) => new()
    {
        Metadata = Meta(r.Name, r.Namespace,
            ServedVersions.ResourceVersion(ServedVersions.GitRepo(r, ServedVersions.BundlesOf(sim, r), cache.DeploymentsOf(sim, r))),
            r.Generation, r.Created, r.Labels),
        Spec = new HubGitRepoSpec { Revision = Text(r.Spec, "revision"), Paused = Flag(r.Spec, "paused") },
        Status = new HubGitRepoStatus { Commit = r.Commit.Length > 0 ? r.Commit : null, ObservedGeneration = r.Generation, GitJobStatus = "Current" },
    };

    private static HubBundle Bundle(SimBundle b) => new()
    {
        Metadata = Meta(b.Name, b.Namespace, b.ResourceVersion, b.Generation, b.Created, b.Labels),
        Spec = new HubBundleSpec { Paused = Flag(b.FleetYaml, "paused") },
        Status = new HubBundleStatus
        {
            ObservedGeneration = b.ObservedGeneration,
            Summary = b.Status is { } s ? Summary(s.Summary) : null,
            Unavailable = b.Status?.Unavailable,
            MaxUnavailable = b.Status?.MaxUnavailable,
        },
    };

    private static HubBundleSummary Summary(FleetBundleSummary s) => new()
    {
        Ready = s.Ready,
        DesiredReady = s.DesiredReady,
        ErrApplied = Count(s.ErrApplied),
        Modified = Count(s.Modified),
        WaitApplied = Count(s.WaitApplied),
        Pending = Count(s.Pending),
    };

    /// <summary>A summary counter as the JSON carries it: written only when above zero.</summary>
    private static int? Count(int value) => value > 0 ? value : null;

    private static HubBundleDeployment MakeBundleDeployment(HubListCache cache, SimBundleDeployment bd)
    {
        var since = KubeJsonWriter.Time(bd.StatusChanged ?? bd.Created);
        var state = FleetStates.StateOf(bd.ForRules).ToString();
        var conditions = new List<HubCondition> { Condition("Ready", bd.Ready, bd.Ready ? "" : state, since) };
        if (bd.Deployed is { } deployed) conditions.Add(Condition("Deployed", deployed, bd.DeployedMessage, since));
        if (bd.AppliedDeploymentId.Length > 0) conditions.Add(Condition("Installed", true, "", since));
        conditions.Add(Condition("Monitored", bd.Ready, "", since));
        return new HubBundleDeployment
        {
            Metadata = Meta(bd.Name, bd.Namespace, bd.ResourceVersion, bd.Generation, bd.Created, cache.LabelsOf(bd)),
            Spec = new HubBundleDeploymentSpec { DeploymentId = bd.DeploymentId, StagedDeploymentId = bd.StagedDeploymentId },
            Status = new HubBundleDeploymentStatus
            {
                AppliedDeploymentId = bd.AppliedDeploymentId.Length > 0 ? bd.AppliedDeploymentId : null,
                Ready = bd.Ready,
                NonModified = bd.NonModified,
                Conditions = conditions,
                Display = new HubBundleDeploymentDisplay
                {
                    Deployed = bd.Deployed switch { true => "True", false => "Error: " + bd.DeployedMessage, null => "" },
                    Monitored = bd.Ready ? "True" : bd.AppliedDeploymentId.Length > 0 ? "NotReady" : "",
                    State = state,
                },
            },
        };
    }

    private static HubCondition Condition(string type, bool status, string message, string at) => new()
    {
        Type = type,
        Status = status ? "True" : "False",
        LastUpdateTime = at,
        LastTransitionTime = at,
        Message = message.Length > 0 ? message : null,
    };

    private static HubObjectMeta Meta(string name, string ns, long resourceVersion, long generation, DateTimeOffset created,
        IReadOnlyDictionary<string, string> labels) =>
        Meta(name, ns, resourceVersion.ToString(CultureInfo.InvariantCulture), generation, created, labels);

    private static HubObjectMeta Meta(string name, string ns, string resourceVersion, long generation, DateTimeOffset created,
        IReadOnlyDictionary<string, string> labels) => new()
    {
        Name = name,
        Namespace = ns,
        Generation = generation,
        ResourceVersion = resourceVersion,
        CreationTimestamp = KubeJsonWriter.Time(created),
        Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal),
    };

    /// <summary>A spec field the client's type keeps, when the object carries it as that JSON type.</summary>
    private static bool? Flag(JsonObject spec, string key) =>
        spec[key] is JsonValue v && v.TryGetValue<bool>(out var value) ? value : null;

    private static string? Text(JsonObject spec, string key) =>
        spec[key] is JsonValue v && v.TryGetValue<string>(out var value) ? value : null;
}
