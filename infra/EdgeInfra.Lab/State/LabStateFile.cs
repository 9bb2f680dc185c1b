using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.State;

/// <summary>The simulator's state on disk (<c>.edgeinfra/lab/&lt;stack&gt;/state.json</c>): written whole and atomically
/// (temp file + rename) at the hub's checkpoints, so a process killed at any point leaves the previous or the new state.</summary>
internal static class LabStateFile
{
    public const string FileName = "state.json";
    public const string EventsFileName = "events.jsonl";
    public const int FormatVersion = 1;

    public static string PathIn(string stateDir) => Path.Combine(stateDir, FileName);

    public static void Save(string stateDir, SimulationState state, ulong seed, string scenario)
    {
        Directory.CreateDirectory(stateDir);
        var persisted = new PersistedLabState
        {
            Format = FormatVersion,
            Seed = seed,
            Scenario = scenario,
            Now = state.Now,
            LabStart = state.LabStart,
            Started = state.Started,
            HubCommit = state.HubCommit,
            ResourceVersion = state.ResourceVersion,
            NextSeq = state.Queue.NextSeq,
            Queue = state.Queue.Snapshot(),
            Clusters = [.. state.Clusters.Values],
            ClusterGroups = [.. state.ClusterGroups.Values],
            GitRepos = [.. state.GitRepos.Values],
            Bundles = [.. state.Bundles.Values],
            BundleDeployments = [.. state.BundleDeployments.Values],
            Deployments = [.. state.Deployments.Values.OrderBy(d => d.Id, StringComparer.Ordinal)],
            WanBytesByRegion = new(state.WanBytesByRegion, StringComparer.Ordinal),
            MirrorBytesByZone = new(state.MirrorBytesByZone, StringComparer.Ordinal),
            Applies = state.Applies,
            EventLogCount = state.EventLog.Count,
            ControllerBusyUntil = new(state.ControllerBusyUntil, StringComparer.Ordinal),
        };
        AppendEvents(stateDir, state);
        var target = PathIn(stateDir);
        var temp = target + $".{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            JsonSerializer.Serialize(stream, persisted, LabStateJson.Default.PersistedLabState);
        }
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>The persisted state, or null when there is none. A file that does not parse is an error naming it.</summary>
    public static (SimulationState State, ulong Seed, string Scenario)? Load(string stateDir)
    {
        var path = PathIn(stateDir);
        if (!File.Exists(path)) return null;
        PersistedLabState? p;
        try
        {
            using var stream = File.OpenRead(path);
            p = JsonSerializer.Deserialize(stream, LabStateJson.Default.PersistedLabState);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the lab state does not parse ({e.Message}); delete {stateDir} to start the lab afresh", e);
        }
        if (p is null || p.Format != FormatVersion)
            throw new InvalidDataException($"{path}: lab state format {p?.Format} is not {FormatVersion}; delete {stateDir} to start the lab afresh");

        var state = new SimulationState { Now = p.Now, LabStart = p.LabStart, Started = p.Started, HubCommit = p.HubCommit, ResourceVersion = p.ResourceVersion };
        state.Queue.NextSeq = p.NextSeq;
        foreach (var e in p.Queue) state.Queue.Add(e);
        foreach (var c in p.Clusters)
        {
            c.Labels = new SortedDictionary<string, string>(c.Labels, StringComparer.Ordinal);
            c.Images = new SortedSet<string>(c.Images, StringComparer.Ordinal);
            state.Clusters[c.Key] = c;
        }
        foreach (var g in p.ClusterGroups)
        {
            g.Labels = new SortedDictionary<string, string>(g.Labels, StringComparer.Ordinal);
            state.ClusterGroups[g.Namespace + "/" + g.Name] = g;
        }
        foreach (var r in p.GitRepos)
        {
            r.Labels = new SortedDictionary<string, string>(r.Labels, StringComparer.Ordinal);
            state.GitRepos[r.Key] = r;
        }
        foreach (var b in p.Bundles)
        {
            b.Labels = new SortedDictionary<string, string>(b.Labels, StringComparer.Ordinal);
            state.Bundles[b.Key] = b;
        }
        foreach (var bd in p.BundleDeployments) state.AddDeployment(bd);
        foreach (var d in p.Deployments) state.Deployments[d.Id] = d;
        foreach (var (k, v) in p.WanBytesByRegion) state.WanBytesByRegion[k] = v;
        foreach (var (k, v) in p.MirrorBytesByZone) state.MirrorBytesByZone[k] = v;
        state.Applies.AddRange(p.Applies);
        foreach (var (k, v) in p.ControllerBusyUntil ?? []) state.ControllerBusyUntil[k] = v;
        state.EventLog.AddRange(ReadEvents(stateDir, p.EventLogCount));
        state.PersistedEvents = state.EventLog.Count;
        state.PersistedEventLines = -1; // the file may hold lines a killed process appended after its last state write
        return (state, p.Seed, p.Scenario);
    }

    /// <summary>The event log is append-only (<c>events.jsonl</c>): each save appends what is new. The state records
    /// how many entries it covers, so lines a killed process appended after its last state write are ignored.</summary>
    private static void AppendEvents(string stateDir, SimulationState state)
    {
        var path = Path.Combine(stateDir, EventsFileName);
        // Append when the file holds exactly what was persisted; otherwise (first save, after a load, after the
        // in-memory log was trimmed) write it whole.
        if (state.PersistedEventLines == state.PersistedEvents && state.PersistedEvents <= state.EventLog.Count && File.Exists(path))
        {
            using var w = new StreamWriter(path, append: true);
            for (var i = state.PersistedEvents; i < state.EventLog.Count; i++)
                w.Write(JsonSerializer.Serialize(state.EventLog[i], LabStateJson.Default.LabEvent) + "\n");
        }
        else
        {
            WriteWhole(path, state.EventLog);
        }
        state.PersistedEvents = state.PersistedEventLines = state.EventLog.Count;
    }

    private static void WriteWhole(string path, List<LabEvent> log)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        using (var w = new StreamWriter(temp))
            foreach (var e in log) w.Write(JsonSerializer.Serialize(e, LabStateJson.Default.LabEvent) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    private static IEnumerable<LabEvent> ReadEvents(string stateDir, int count)
    {
        var path = Path.Combine(stateDir, EventsFileName);
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Take(count).Select(l => JsonSerializer.Deserialize(l, LabStateJson.Default.LabEvent)!).ToList();
    }
}

/// <summary>The JSON shape of the persisted lab state.</summary>
internal sealed class PersistedLabState
{
    public int Format { get; set; }
    public ulong Seed { get; set; }
    public string Scenario { get; set; } = "";
    public DateTimeOffset Now { get; set; }
    public DateTimeOffset LabStart { get; set; }
    public bool Started { get; set; }
    public string HubCommit { get; set; } = "";
    public long ResourceVersion { get; set; }
    public long NextSeq { get; set; }
    public List<SimEvent> Queue { get; set; } = [];
    public List<SimCluster> Clusters { get; set; } = [];
    public List<SimClusterGroup> ClusterGroups { get; set; } = [];
    public List<SimGitRepo> GitRepos { get; set; } = [];
    public List<SimBundle> Bundles { get; set; } = [];
    public List<SimBundleDeployment> BundleDeployments { get; set; } = [];
    public List<DeploymentInfo> Deployments { get; set; } = [];
    public Dictionary<string, long> WanBytesByRegion { get; set; } = [];
    public Dictionary<string, long> MirrorBytesByZone { get; set; } = [];
    public List<ApplyRecord> Applies { get; set; } = [];
    public int EventLogCount { get; set; }
    public Dictionary<string, DateTimeOffset> ControllerBusyUntil { get; set; } = [];
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PersistedLabState))]
[JsonSerializable(typeof(LabEvent))]
internal sealed partial class LabStateJson : JsonSerializerContext;
