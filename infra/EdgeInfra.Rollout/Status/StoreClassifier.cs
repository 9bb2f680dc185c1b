using System.Collections.Concurrent;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Sharding;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Rollout.Status;

/// <summary>Classifies every store of a fleet from one hub snapshot into the store vocabulary (ARCHITECTURE.md §6).</summary>
/// <remarks>
/// Rules, in order: a store whose ring has no revision is not-selected; one without a Cluster on the hub is pending, and
/// so is one whose Cluster is younger than the offline threshold and whose agent has not checked in yet (registering);
/// an agent silent for longer than its site class allows is offline, whatever its (stale) BundleDeployments say;
/// otherwise its BundleDeployments of the ring's bundles decide, the worst one winning (failed, applying, pending,
/// drifted, ready). A store is ready only when every such BD carries the new deployment: staged == deploymentID ==
/// appliedDeploymentID, Ready, and its commit label is the ring's revision (fleet.md §5.5) or, given an
/// <see cref="IRingContent"/>, a commit that descends from it or holds the revision's ring bundle dirs: Fleet relabels
/// every BD of a GitRepo with each commit it reads, so another ring's commit (or the catch-up release of a store that
/// came back late) moves the label past the revision. The ring's bundles are those
/// of the ring's GitRepo (named after the ring; in a sharded stack, the GitRepo of the store's ring and shard). The classifier remembers, per store, the last revision it saw applied and,
/// per BD deployment, when it first saw it not Ready, so a long-lived reader (the rollout host) reports both across readings.
/// </remarks>
internal sealed class StoreClassifier(FleetStatusPolicy policy, IRingContent? content = null)
{
    private readonly ConcurrentDictionary<string, string> _lastApplied = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notReadySince = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, StoreStatus> Classify(FleetModel model, IReadOnlyDictionary<string, string> ringRevisions,
        HubSnapshot snapshot, DateTimeOffset now)
    {
        var clusters = new Dictionary<string, HubCluster>(snapshot.Clusters.Count, StringComparer.Ordinal);
        foreach (var c in snapshot.Clusters) clusters[c.Metadata.Name] = c;

        // A store's bundles are those of its ring's GitRepo, or in a sharded stack of its (ring, shard)'s GitRepo: the
        // BDs another shard's bundles may still hold for a store that moved shards are Fleet's to delete, not its state.
        var repoOfBundle = new Dictionary<string, string>(StringComparer.Ordinal);
        var bundlesOfRepo = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var b in snapshot.Bundles)
        {
            if (b.Metadata.Label(FleetLabels.RepoName) is not { } repo) continue;
            repoOfBundle[b.Metadata.Name] = repo;
            bundlesOfRepo[repo] = bundlesOfRepo.GetValueOrDefault(repo) + 1;
        }
        var gitRepoCommit = snapshot.GitRepos.ToDictionary(g => g.Metadata.Name, g => g.Status?.Commit, StringComparer.Ordinal);

        var deploymentsOf = new Dictionary<string, List<HubBundleDeployment>>(clusters.Count, StringComparer.Ordinal);
        foreach (var bd in snapshot.BundleDeployments)
        {
            if (bd.Metadata.Label(FleetLabels.Cluster) is not { } cluster) continue;
            if (!deploymentsOf.TryGetValue(cluster, out var list)) deploymentsOf[cluster] = list = [];
            list.Add(bd);
        }

        var result = new Dictionary<string, StoreStatus>(model.Stores.Length, StringComparer.Ordinal);
        foreach (var store in model.Stores)
        {
            var ring = store.Ring;
            var revision = ring is null ? null : ringRevisions.GetValueOrDefault(ring);
            var gitRepo = ring is null ? null : FleetSharding.RingObjectName(ring, store.Label(FleetSharding.StoreShardLabel));
            clusters.TryGetValue(store.Id, out var cluster);
            var ringDeployments = NoDeployments;
            if (gitRepo is not null && deploymentsOf.TryGetValue(store.Id, out var all))
            {
                ringDeployments = new List<HubBundleDeployment>(all.Count);
                foreach (var bd in all)
                    if (bd.Metadata.Label(FleetLabels.BundleName) is { } b && repoOfBundle.GetValueOrDefault(b) == gitRepo) ringDeployments.Add(bd);
            }
            var status = revision is null && cluster is null && ringDeployments.Count == 0
                ? NotSelected(store.Id, ring)
                : ClassifyStore(store, ring, gitRepo, revision, cluster, ringDeployments,
                    gitRepo is null ? 0 : bundlesOfRepo.GetValueOrDefault(gitRepo), gitRepo is null ? null : gitRepoCommit.GetValueOrDefault(gitRepo), now);
            // Written only when it moved: a concurrent dictionary's write takes a lock, its read does not.
            if (status.AppliedRevision is { } applied)
            {
                if (!_lastApplied.TryGetValue(store.Id, out var known) || known != applied) _lastApplied[store.Id] = applied;
            }
            else if (_lastApplied.TryGetValue(store.Id, out var remembered)) status = status with { AppliedRevision = remembered };
            result[store.Id] = status;
        }
        return result;
    }

    /// <summary>A store of a ring not opened, of which the hub was not read: the same answer at every reading.</summary>
    private StoreStatus NotSelected(string store, string? ring)
    {
        if (_notSelected.TryGetValue(store, out var known) && known.Ring == ring) return known;
        return _notSelected[store] = Status(store, ring, null, NoDeployments, 0, StoreState.NotSelected,
            ring is null ? "no rollout-ring label" : $"ring {ring} not opened");
    }

    private readonly ConcurrentDictionary<string, StoreStatus> _notSelected = new(StringComparer.Ordinal);

    private static StoreStatus Status(string store, string? ring, DateTimeOffset? lastSeen, List<HubBundleDeployment> deployments, int ringBundles,
        StoreState state, string? reason, string? attempted = null, string? applied = null) =>
        new(store, ring, state, lastSeen, applied ?? AppliedOf(deployments), attempted ?? AttemptedOf(deployments), reason)
        {
            Settled = deployments.Count > 0 && deployments.Count >= ringBundles && deployments.TrueForAll(IsSettled),
        };

    private StoreStatus ClassifyStore(Store store, string? ring, string? gitRepo, string? revision, HubCluster? cluster,
        List<HubBundleDeployment> deployments, int ringBundles, string? gitRepoCommit, DateTimeOffset now)
    {
        var lastSeen = SeenAt(cluster?.Status?.Agent?.LastSeen);
        if (revision is null)
            return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.NotSelected, ring is null ? "no rollout-ring label" : $"ring {ring} not opened");
        if (cluster is null)
            return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.Pending, "no Cluster on the hub yet (not registered)");
        var threshold = policy.OfflineThresholdOf(store.Labels);
        if (lastSeen is null)
        {
            // A Cluster the fleet repo just created waits for its agent's first check-in (registration takes seconds
            // to minutes); it is offline only once that has taken longer than the store's offline threshold.
            var created = BundleDeploymentVerdict.ParseTime(cluster.Metadata.CreationTimestamp);
            if (created is { } since && now - since <= threshold)
                return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.Pending,
                    $"waiting for the agent's first check-in (Cluster created {BundleDeploymentVerdict.Age(now - since)} ago)");
            return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.Offline, created is { } old
                ? $"agent has never checked in (Cluster created {BundleDeploymentVerdict.Age(now - old)} ago, threshold {BundleDeploymentVerdict.Age(threshold)})"
                : "agent has never checked in");
        }
        if (now - lastSeen.Value > threshold)
            return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.Offline,
                $"last seen {BundleDeploymentVerdict.Age(now - lastSeen.Value)} ago (threshold {BundleDeploymentVerdict.Age(threshold)})");
        return ClassifyOnline(store.Id, ring!, gitRepo!, revision, cluster, lastSeen, deployments, ringBundles, gitRepoCommit, now);
    }

    /// <summary>A store whose agent checks in: its BundleDeployments of the ring's bundles decide.</summary>
    private StoreStatus ClassifyOnline(string store, string ring, string gitRepo, string revision, HubCluster cluster, DateTimeOffset? lastSeen,
        List<HubBundleDeployment> deployments, int ringBundles, string? gitRepoCommit, DateTimeOffset now)
    {
        var match = Match(ring, revision);
        if (gitRepoCommit is not null && !match.OnRevision(gitRepoCommit) && deployments.TrueForAll(d => !match.OnRevision(d.Metadata.Label(FleetLabels.Commit))))
            return Status(store, ring, lastSeen, deployments, ringBundles, StoreState.Pending,
                $"Fleet has read {BundleDeploymentVerdict.Short(gitRepoCommit)} of GitRepo {gitRepo}, not {BundleDeploymentVerdict.Short(revision)} yet");
        if (deployments.Count == 0)
            return Status(store, ring, lastSeen, deployments, ringBundles, StoreState.Pending,
                ringBundles == 0 ? $"no bundles of ring {ring} on the hub yet" : "no BundleDeployment yet");

        // Every online store of every ring read, at every gate evaluation: plain loops, one array.
        var verdicts = new BundleDeploymentVerdict[deployments.Count];
        var notReadySince = NotReadySinceAt(now);
        var worst = 0;
        for (var i = 0; i < verdicts.Length; i++)
        {
            verdicts[i] = BundleDeploymentVerdict.Of(deployments[i], revision, now, policy.FailureDeadline, notReadySince, match.Test);
            if (Rank(verdicts[i].State) > Rank(verdicts[worst].State)) worst = i;
        }
        var state = verdicts[worst].State;
        var reason = verdicts[worst].Reason;
        if (state is StoreState.Ready or StoreState.Drifted && deployments.Count < ringBundles)
        {
            state = StoreState.Pending;
            reason = $"{deployments.Count} of the ring's {ringBundles} bundles deployed";
        }
        if (state == StoreState.Pending && cluster.Spec?.Paused == true) reason = "Cluster paused";
        string? attempted = verdicts[0].AttemptedRevision, applied = verdicts[0].AppliedRevision;
        foreach (var v in verdicts)
        {
            if (v.AttemptedRevision is null) attempted = null;
            // The commit every BD applied, when they all applied one and the same.
            if (v.AppliedRevision is null || v.AppliedRevision != verdicts[0].AppliedRevision) applied = null;
        }
        return Status(store, ring, lastSeen, deployments, ringBundles, state, reason, attempted, applied);
    }

    /// <summary>Whether a BD's commit label stands for a ring's revision (it is the revision, or a commit at or after it
    /// in that ring's content), with the delegate the verdicts take made once per (ring, revision), not per store.</summary>
    private sealed class RevisionMatch
    {
        private readonly IRingContent? _content;

        public RevisionMatch(string ring, string revision, IRingContent? content)
        {
            (Ring, Revision, _content) = (ring, revision, content);
            Test = OnRevision;
        }

        public string Ring { get; }
        public string Revision { get; }
        public Func<string?, bool> Test { get; }

        public bool OnRevision(string? label) => label == Revision || (label is not null && _content?.IsAtOrAfter(Ring, Revision, label) == true);
    }

    private RevisionMatch Match(string ring, string revision)
    {
        if (_match is { } known && known.Revision == revision && known.Ring == ring) return known;
        return _match = new RevisionMatch(ring, revision, content);
    }

    private volatile RevisionMatch? _match;

    private Func<HubBundleDeployment, DateTimeOffset> NotReadySinceAt(DateTimeOffset now)
    {
        if (_notReadySinceAt is { } known && known.Now == now) return known.Since;
        var made = new NotReadyClock(now, bd => NotReadySince(bd, now));
        _notReadySinceAt = made;
        return made.Since;
    }

    private sealed record NotReadyClock(DateTimeOffset Now, Func<HubBundleDeployment, DateTimeOffset> Since);

    private volatile NotReadyClock? _notReadySinceAt;

    private static readonly List<HubBundleDeployment> NoDeployments = [];

    /// <summary>An agent's last check-in, parsed once per distinct timestamp: a rollout host reads every store's at every
    /// gate evaluation, and most have not checked in again since the last.</summary>
    private DateTimeOffset? SeenAt(string? text)
    {
        if (text is null) return null;
        if (_seenAt.TryGetValue(text, out var at)) return at;
        // A concurrent dictionary's Count takes every lock: the bound is kept by a counter of its own.
        if (Interlocked.Increment(ref _seenAtAdded) > 100_000)
        {
            _seenAt.Clear();
            Interlocked.Exchange(ref _seenAtAdded, 1);
        }
        return _seenAt[text] = BundleDeploymentVerdict.ParseTime(text);
    }

    private readonly ConcurrentDictionary<string, DateTimeOffset?> _seenAt = new(StringComparer.Ordinal);
    private int _seenAtAdded;

    private static bool IsSettled(HubBundleDeployment bd) =>
        bd.Spec?.DeploymentId is { Length: > 0 } id && bd.Spec.StagedDeploymentId == id && bd.Status?.AppliedDeploymentId == id && bd.Status?.Ready == true;

    private DateTimeOffset NotReadySince(HubBundleDeployment bd, DateTimeOffset now) =>
        _notReadySince.GetOrAdd($"{bd.Metadata.Namespace}/{bd.Metadata.Name}/{bd.Spec?.DeploymentId}", now);

    private static int Rank(StoreState state) => state switch
    {
        StoreState.Failed => 5,
        StoreState.Applying => 4,
        StoreState.Pending => 3,
        StoreState.Drifted => 2,
        _ => 1,
    };

    /// <summary>The commit every BD applied and reported Ready on (the store runs it), when they agree.</summary>
    private static string? AppliedOf(List<HubBundleDeployment> deployments)
    {
        string? applied = null;
        foreach (var bd in deployments)
        {
            var promoted = bd.Spec?.DeploymentId is { Length: > 0 } id && bd.Spec.StagedDeploymentId == id;
            if (!promoted || bd.Status?.AppliedDeploymentId != bd.Spec!.DeploymentId || bd.Status?.Ready != true) return null;
            var commit = bd.Metadata.Label(FleetLabels.Commit);
            if (applied is not null && applied != commit) return null;
            applied = commit;
        }
        return applied;
    }

    private static string? AttemptedOf(List<HubBundleDeployment> deployments) =>
        deployments.FirstOrDefault(bd => bd.Spec?.DeploymentId is { Length: > 0 } id && bd.Spec.StagedDeploymentId == id)
            ?.Metadata.Label(FleetLabels.Commit);
}
