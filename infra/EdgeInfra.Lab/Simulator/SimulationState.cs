namespace EdgeInfra.Lab.Simulator;

/// <summary>Everything the simulator knows at one virtual instant; persisted whole after every pass.</summary>
internal sealed class SimulationState
{
    public DateTimeOffset Now { get; set; }
    /// <summary>The virtual instant the lab started; offline schedules are relative to it.</summary>
    public DateTimeOffset LabStart { get; set; }
    public bool Started { get; set; }
    public string HubCommit { get; set; } = "";
    public long ResourceVersion { get; set; }
    public SimEventQueue Queue { get; } = new();
    public SortedDictionary<string, SimCluster> Clusters { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimClusterGroup> ClusterGroups { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimGitRepo> GitRepos { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SimBundle> Bundles { get; } = new(StringComparer.Ordinal);
    /// <summary>Every BundleDeployment by key; add and remove them with <see cref="AddDeployment"/> and
    /// <see cref="RemoveDeployment"/>, which count the changes to the set.</summary>
    public SortedDictionary<string, SimBundleDeployment> BundleDeployments { get; } = new(StringComparer.Ordinal);

    /// <summary>Bumped whenever a BundleDeployment is added or removed: a lookup made at the same count still holds.</summary>
    public long DeploymentSetVersion { get; private set; }

    public void AddDeployment(SimBundleDeployment bd)
    {
        BundleDeployments[bd.Key] = bd;
        DeploymentSetVersion++;
    }

    public void RemoveDeployment(string key)
    {
        if (BundleDeployments.Remove(key)) DeploymentSetVersion++;
    }

    /// <summary>Bumped whenever a Cluster is added, removed or relabelled: which Clusters a label selector matches
    /// still holds at the same count.</summary>
    public long ClusterSetVersion { get; set; }
    public Dictionary<string, DeploymentInfo> Deployments { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> WanBytesByRegion { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> MirrorBytesByZone { get; } = new(StringComparer.Ordinal);
    public List<ApplyRecord> Applies { get; } = [];
    /// <summary>Per controller shard ("" the default one): until when it is busy with the reconciles it has taken.</summary>
    public SortedDictionary<string, DateTimeOffset> ControllerBusyUntil { get; } = new(StringComparer.Ordinal);
    public List<LabEvent> EventLog { get; } = [];
    /// <summary>How many event-log entries are on disk already.</summary>
    public int PersistedEvents { get; set; }
    public int PersistedEventLines { get; set; }

    public static SimulationState StartingAt(DateTimeOffset now) => new() { Now = now, LabStart = now };
}
