using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Lab.Simulator;

// The simulator's runtime state: plain mutable objects, persisted as they are (State/LabStateFile).

/// <summary>A Cluster on the simulated hub: what the fleet repo says plus what its agent has done.</summary>
internal sealed class SimCluster
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public SortedDictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public bool Paused { get; set; }
    public string ClientId { get; set; } = "";
    /// <summary>Fleet's per-cluster namespace holding its BundleDeployments.</summary>
    public string StatusNamespace { get; set; } = "";
    public DateTimeOffset FirstSeen { get; set; }
    /// <summary>The agent's first check-in; null until then.</summary>
    public DateTimeOffset? RegisteredAt { get; set; }
    public bool Offline { get; set; }
    public List<OfflineWindow> OfflineWindows { get; set; } = [];
    /// <summary>Images present in the store's container runtime.</summary>
    public SortedSet<string> Images { get; set; } = new(StringComparer.Ordinal);
    public long ResourceVersion { get; set; }
    public DateTimeOffset Created { get; set; }

    [JsonIgnore] public string Key => Namespace + "/" + Name;
}

/// <summary>One window in which a store's agent is offline: it neither checks in nor applies.</summary>
internal sealed record OfflineWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset t) => t >= Start && t < End;
}

/// <summary>A ClusterGroup on the simulated hub.</summary>
internal sealed class SimClusterGroup
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public SortedDictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public JsonObject? Selector { get; set; }
    public long ResourceVersion { get; set; }
    public DateTimeOffset Created { get; set; }
}

/// <summary>A GitRepo on the simulated hub: its spec from the repo and the commit it last read.</summary>
internal sealed class SimGitRepo
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public SortedDictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public JsonObject Spec { get; set; } = new();
    public List<string> Paths { get; set; } = [];
    public List<JsonObject> Targets { get; set; } = [];
    public TimeSpan PollingInterval { get; set; }
    public bool Paused { get; set; }
    /// <summary>The fleet-repo commit this GitRepo last read ("" before its first poll).</summary>
    public string Commit { get; set; } = "";
    public DateTimeOffset? LastPolled { get; set; }
    public long Generation { get; set; } = 1;
    public long ResourceVersion { get; set; }
    public DateTimeOffset Created { get; set; }
    public bool PollScheduled { get; set; }

    [JsonIgnore] public string Key => Namespace + "/" + Name;
}

/// <summary>A Bundle on the simulated hub: one dir with a fleet.yaml read by one GitRepo.</summary>
internal sealed class SimBundle
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public string GitRepo { get; set; } = "";
    public string Path { get; set; } = "";
    public string Commit { get; set; } = "";
    public SortedDictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The fleet.yaml as read (options, rolloutStrategy, targetCustomizations).</summary>
    public JsonObject FleetYaml { get; set; } = new();
    public string ManifestId { get; set; } = "";
    public string ContentHash { get; set; } = "";
    public long Generation { get; set; } = 1;
    public long ObservedGeneration { get; set; }
    public long ResourceVersion { get; set; }
    public DateTimeOffset Created { get; set; }
    public bool ReconcileScheduled { get; set; }
    public string? Error { get; set; }
    public BundleStatusRecord? Status { get; set; }

    [JsonIgnore] public string Key => Namespace + "/" + Name;
}

/// <summary>The Bundle status one reconcile pass wrote (from <see cref="RolloutPassResult"/>), in a persistable shape.</summary>
internal sealed record BundleStatusRecord(FleetBundleSummary Summary, int Unavailable, int MaxUnavailable, int UnavailablePartitions,
    int MaxUnavailablePartitions, int NewlyCreated, IReadOnlyList<PartitionStatusRecord> Partitions);

internal sealed record PartitionStatusRecord(string Name, int Count, int MaxUnavailable, int Unavailable, FleetBundleSummary Summary);

/// <summary>A BundleDeployment: the controller's spec (three IDs) and the agent's status.</summary>
internal sealed class SimBundleDeployment
{
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public string Cluster { get; set; } = "";
    public string ClusterNamespace { get; set; } = "";
    public string BundleName { get; set; } = "";
    public string BundleNamespace { get; set; } = "";
    public string Commit { get; set; } = "";
    public string DeploymentId { get; set; } = "";
    public string StagedDeploymentId { get; set; } = "";
    public string AppliedDeploymentId { get; set; } = "";
    public bool Ready { get; set; }
    public bool NonModified { get; set; }
    public bool? Deployed { get; set; }
    public string DeployedMessage { get; set; } = "";
    public DateTimeOffset? StatusChanged { get; set; }
    /// <summary>Since when the applied release runs on the store (metrics count requests from here).</summary>
    public DateTimeOffset? RunningSince { get; set; }
    /// <summary>Bumped whenever the agent's work on this BD is cancelled or restarted; stale steps are dropped.</summary>
    public int Attempt { get; set; }
    public long Generation { get; set; } = 1;
    public long ResourceVersion { get; set; }
    public DateTimeOffset Created { get; set; }
    /// <summary>The bundle's <c>fleet.cattle.io/shard-ref</c> ("" for none): Fleet copies a Bundle's labels onto its BDs.</summary>
    public string ShardRef { get; set; } = "";
    /// <summary>Index into the stats' apply records of the apply in progress; -1 when none.</summary>
    public int ApplyRecord { get; set; } = -1;

    [JsonIgnore] public string Key => _key.Of(Namespace, Name);

    /// <summary>The key of the Bundle it deploys (<c>namespace/name</c>).</summary>
    [JsonIgnore] public string BundleKey => _bundleKey.Of(BundleNamespace, BundleName);

    /// <summary>The key of the Cluster it deploys to (<c>namespace/name</c>).</summary>
    [JsonIgnore] public string ClusterKey => _clusterKey.Of(ClusterNamespace, Cluster);

    // Looked up for every BD at every reconcile pass and scrape: joined once, not at each lookup.
    private QualifiedName _key, _bundleKey, _clusterKey;

    /// <summary>The labels Fleet puts on a BundleDeployment.</summary>
    public SortedDictionary<string, string> FleetLabels()
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["fleet.cattle.io/bundle-name"] = BundleName,
            ["fleet.cattle.io/bundle-namespace"] = BundleNamespace,
            ["fleet.cattle.io/cluster"] = Cluster,
            ["fleet.cattle.io/cluster-namespace"] = ClusterNamespace,
            ["fleet.cattle.io/commit"] = Commit,
            ["fleet.cattle.io/managed"] = "true",
        };
        if (ShardRef.Length > 0) labels[Components.Sharding.FleetSharding.ShardRefLabel] = ShardRef;
        return labels;
    }

    [JsonIgnore] public FleetBundleDeployment ForRules => new(DeploymentId, StagedDeploymentId, AppliedDeploymentId, Ready, NonModified, Deployed);
}

/// <summary>What one deployment ID stands for: the merged options and what the agent will run.</summary>
internal sealed record DeploymentInfo(string Id, string Bundle, string App, string Version, string Ring, JsonObject Options,
    IReadOnlyList<string> Images, bool ServesTraffic);

/// <summary>A <c>namespace/name</c> key, joined once while both parts stay the same strings.</summary>
internal struct QualifiedName
{
    private string? _namespace, _name, _joined;

    public string Of(string ns, string name)
    {
        if (_joined is null || !ReferenceEquals(ns, _namespace) || !ReferenceEquals(name, _name))
        {
            _joined = ns + "/" + name;
            _namespace = ns;
            _name = name;
        }
        return _joined;
    }
}
