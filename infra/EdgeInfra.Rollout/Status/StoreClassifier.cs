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
        // Each hub object is filed under its store's place in the model once; the stores are then walked by place, not
        // looked up by name (a rollout host reads a ring at every gate evaluation; most of the fleet is not in it).
        var known = KnownStores(model);
        var clusterAt = new HubCluster?[known.Stores.Length];
        foreach (var c in snapshot.Clusters)
            if (known.Index.TryGetValue(c.Metadata.Name, out var at)) clusterAt[at] = c;

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

        var deploymentsAt = new List<HubBundleDeployment>?[known.Stores.Length];
        foreach (var bd in snapshot.BundleDeployments)
            if (bd.Metadata.Label(FleetLabels.Cluster) is { } cluster && known.Index.TryGetValue(cluster, out var at)) (deploymentsAt[at] ??= []).Add(bd);
        var revisionOf = new string?[known.Rings.Length];
        for (var r = 0; r < revisionOf.Length; r++) revisionOf[r] = ringRevisions.GetValueOrDefault(known.Rings[r]);

        var scratch = new List<HubBundleDeployment>(4);
        var statuses = new StoreStatus[known.Stores.Length];
        for (var i = 0; i < statuses.Length; i++)
        {
            var entry = known.Stores[i];
            var store = entry.Store;
            var ring = store.Ring;
            var revision = entry.RingIndex < 0 ? null : revisionOf[entry.RingIndex];
            var gitRepo = entry.GitRepo;
            var cluster = clusterAt[i];
            scratch.Clear();
            if (gitRepo is not null && deploymentsAt[i] is { } all)
                foreach (var bd in all)
                    if (bd.Metadata.Label(FleetLabels.BundleName) is { } b && repoOfBundle.GetValueOrDefault(b) == gitRepo) scratch.Add(bd);
            var status = revision is null && cluster is null && scratch.Count == 0
                ? entry.NotSelected ??= Status(store.Id, ring, null, NoDeployments, 0, StoreState.NotSelected,
                    ring is null ? "no rollout-ring label" : $"ring {ring} not opened")
                : ClassifyStore(entry, ring, gitRepo, revision, cluster, scratch,
                    gitRepo is null ? 0 : bundlesOfRepo.GetValueOrDefault(gitRepo), gitRepo is null ? null : gitRepoCommit.GetValueOrDefault(gitRepo), now);
            if (status.AppliedRevision is { } applied)
            {
                // Kept per store, and for a later model of the fleet (written only when it moved: a concurrent
                // dictionary's write takes a lock).
                if (entry.LastApplied != applied) _lastApplied[store.Id] = entry.LastApplied = applied;
            }
            else if (entry.LastApplied is { } remembered) status = entry.Remember(status, remembered);
            statuses[i] = status;
        }
        return known.Index.Count == statuses.Length
            ? new StoreStatuses(known, statuses)
            // Store ids are unique in a validated model; otherwise, as a dictionary would, the last one stands.
            : known.Stores.Select((s, i) => (s.Store.Id, statuses[i])).GroupBy(p => p.Id)
                .ToDictionary(g => g.Key, g => g.Last().Item2, StringComparer.Ordinal);
    }

    /// <summary>What the classifier keeps per store of a model across readings: the store's ring GitRepo, its
    /// not-selected answer, its agent's last check-in as parsed, and its last online classification with what it was
    /// made from. A rollout host reads one model at every gate evaluation, and between two most stores did not move.</summary>
    private sealed class KnownStore(Store store, int ringIndex, string? gitRepo, TimeSpan offlineThreshold, string? lastApplied)
    {
        public Store Store { get; } = store;
        /// <summary>The store's ring's place in <see cref="KnownModel.Rings"/>; -1 without a ring.</summary>
        public int RingIndex { get; } = ringIndex;
        public string? GitRepo { get; } = gitRepo;
        public TimeSpan OfflineThreshold { get; } = offlineThreshold;
        /// <summary>The last revision the store was seen to apply.</summary>
        public string? LastApplied { get; set; } = lastApplied;
        public StoreStatus? NotSelected { get; set; }
        public CheckIn? Seen { get; set; }
        public OnlineAnswer? Online { get; set; }
        private Remembered? _remembered;

        /// <summary><paramref name="status"/> showing the revision the store last applied (the same object while both stand).</summary>
        public StoreStatus Remember(StoreStatus status, string applied)
        {
            if (_remembered is { } r && ReferenceEquals(r.Status, status) && r.Applied == applied) return r.Shown;
            var shown = status with { AppliedRevision = applied };
            _remembered = new Remembered(status, applied, shown);
            return shown;
        }

        private sealed record Remembered(StoreStatus Status, string Applied, StoreStatus Shown);
    }

    /// <summary>An online classification and its inputs: the same BundleDeployment objects (a hub client hands out the
    /// object it read before while its resource version stands), revision, GitRepo commit, bundle count and pause give
    /// the same answer, unless a BD waits for Ready, whose verdict moves with the clock.</summary>
    private sealed record OnlineAnswer(string Revision, string? GitRepoCommit, int RingBundles, bool Paused, HubBundleDeployment[] Deployments,
        StoreStatus Status)
    {
        public bool Answers(string revision, string? gitRepoCommit, int ringBundles, bool paused, List<HubBundleDeployment> deployments)
        {
            if (Revision != revision || GitRepoCommit != gitRepoCommit || RingBundles != ringBundles || Paused != paused
                || Deployments.Length != deployments.Count) return false;
            for (var i = 0; i < Deployments.Length; i++)
                if (!ReferenceEquals(Deployments[i], deployments[i])) return false;
            return true;
        }
    }

    private KnownModel KnownStores(FleetModel model)
    {
        if (_known is { } known && ReferenceEquals(known.Model, model)) return known;
        var rings = model.Stores.Select(s => s.Ring).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var stores = model.Stores.Select(s => new KnownStore(s, s.Ring is null ? -1 : Array.IndexOf(rings, s.Ring),
            s.Ring is null ? null : FleetSharding.RingObjectName(s.Ring, s.Label(FleetSharding.StoreShardLabel)),
            policy.OfflineThresholdOf(s.Labels), _lastApplied.GetValueOrDefault(s.Id))).ToArray();
        var index = new Dictionary<string, int>(stores.Length, StringComparer.Ordinal);
        for (var i = 0; i < stores.Length; i++) index[stores[i].Store.Id] = i;
        return _known = new KnownModel(model, stores, rings, index);
    }

    /// <summary>A model's stores as the classifier keeps them, its rings, and each store's place by id.</summary>
    private sealed record KnownModel(FleetModel Model, KnownStore[] Stores, string[] Rings, Dictionary<string, int> Index);

    /// <summary>One reading's statuses, by the store's place in the model: a dictionary by store id, in model order.</summary>
    private sealed class StoreStatuses(KnownModel known, StoreStatus[] statuses) : IReadOnlyDictionary<string, StoreStatus>
    {
        public StoreStatus this[string key] => TryGetValue(key, out var status) ? status : throw new KeyNotFoundException($"no store '{key}' in the model");
        public IEnumerable<string> Keys => known.Stores.Select(s => s.Store.Id);
        public IEnumerable<StoreStatus> Values => statuses;
        public int Count => statuses.Length;
        public bool ContainsKey(string key) => known.Index.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out StoreStatus value)
        {
            var found = known.Index.TryGetValue(key, out var at);
            value = found ? statuses[at] : null;
            return found;
        }

        public IEnumerator<KeyValuePair<string, StoreStatus>> GetEnumerator()
        {
            for (var i = 0; i < statuses.Length; i++) yield return KeyValuePair.Create(known.Stores[i].Store.Id, statuses[i]);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private volatile KnownModel? _known;

    private static StoreStatus Status(string store, string? ring, DateTimeOffset? lastSeen, List<HubBundleDeployment> deployments, int ringBundles,
        StoreState state, string? reason, string? attempted = null, string? applied = null) =>
        new(store, ring, state, lastSeen, applied ?? AppliedOf(deployments), attempted ?? AttemptedOf(deployments), reason)
        {
            Settled = deployments.Count > 0 && deployments.Count >= ringBundles && deployments.TrueForAll(IsSettled),
        };

    private StoreStatus ClassifyStore(KnownStore known, string? ring, string? gitRepo, string? revision, HubCluster? cluster,
        List<HubBundleDeployment> deployments, int ringBundles, string? gitRepoCommit, DateTimeOffset now)
    {
        var store = known.Store;
        var lastSeen = SeenAt(known, cluster?.Status?.Agent?.LastSeen);
        if (revision is null)
            return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.NotSelected, ring is null ? "no rollout-ring label" : $"ring {ring} not opened");
        if (cluster is null)
            return Status(store.Id, ring, lastSeen, deployments, ringBundles, StoreState.Pending, "no Cluster on the hub yet (not registered)");
        var threshold = known.OfflineThreshold;
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
        var paused = cluster.Spec?.Paused == true;
        if (known.Online is { } before && before.Answers(revision, gitRepoCommit, ringBundles, paused, deployments))
            return before.Status.LastSeen == lastSeen ? before.Status : before.Status with { LastSeen = lastSeen };
        var online = ClassifyOnline(store.Id, ring!, gitRepo!, revision, cluster, lastSeen, deployments, ringBundles, gitRepoCommit, now);
        known.Online = deployments.TrueForAll(AnswerStands) ? new OnlineAnswer(revision, gitRepoCommit, ringBundles, paused, [.. deployments], online) : null;
        return online;
    }

    /// <summary>Whether a BD's verdict stands while the BD does: all but one applied and waiting for Ready, which fails
    /// once it has waited longer than the failure deadline.</summary>
    private static bool AnswerStands(HubBundleDeployment bd) =>
        !(bd.Spec?.DeploymentId is { Length: > 0 } id && bd.Spec.StagedDeploymentId == id && bd.Status?.AppliedDeploymentId == id && bd.Status?.Ready != true);

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

    /// <summary>An agent's last check-in, parsed once per store and timestamp: a rollout host reads every store's at
    /// every gate evaluation, and most have not checked in again since the last.</summary>
    private static DateTimeOffset? SeenAt(KnownStore known, string? text)
    {
        if (text is null) return null;
        if (known.Seen is { } seen && seen.Text == text) return seen.At;
        var at = BundleDeploymentVerdict.ParseTime(text);
        known.Seen = new CheckIn(text, at);
        return at;
    }

    /// <summary>A check-in time as the hub wrote it and as parsed (one object, so concurrent readers see both or neither).</summary>
    private sealed record CheckIn(string Text, DateTimeOffset? At);

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
