using System.Buffers;
using System.Text.Json;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.Hub;

/// <summary>One listed object: its sort key (<c>namespace/name</c>), labels and the simulator object.</summary>
internal readonly record struct HubListEntry(string Key, string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, object Item);

/// <summary>The hub's serving indexes for one state version: each kind's objects in list order, the filtered lists
/// per namespace and selector, and the groupings the status fields need.</summary>
/// <remarks>
/// Built lazily and dropped whenever the simulation's resource version (or an object count, as deletions do not bump
/// it) moves, so every answer is still computed from the state as it is now: a page is a binary search for the
/// continue key plus a slice, instead of a filter, a label map per BundleDeployment and a sort of the whole list.
/// Only used under the hub's lock.
/// </remarks>
internal sealed class HubListCache
{
    private const int MaxFilteredLists = 64;

    private (long ResourceVersion, int Clusters, int Groups, int Repos, int Bundles, int Deployments) _version = (-1, 0, 0, 0, 0, 0);
    private readonly Dictionary<string, HubListEntry[]> _all = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Plural, string? Ns, string Selector), HubListEntry[]> _filtered = [];
    private readonly Dictionary<string, byte[]> _options = new(StringComparer.Ordinal);
    /// <summary>Each BundleDeployment's labels as of its resource version: kept across state versions, as most
    /// BundleDeployments do not move between two reads.</summary>
    private readonly Dictionary<SimBundleDeployment, (long ResourceVersion, IReadOnlyDictionary<string, string> Labels)> _bdLabels =
        new(ReferenceEqualityComparer.Instance);
    /// <summary>Each object's JSON as last written, with what it was written from: kept across state versions, as most
    /// objects do not move between two reads.</summary>
    private readonly Dictionary<object, (RenderedVersion Version, byte[] Json)> _rendered = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, string> _uids = new(ReferenceEqualityComparer.Instance);
    // The groupings hold the objects themselves, so they stand for as long as the set of BundleDeployments (and of the
    // bundles they belong to) does, whatever else moved: a rollout's reads build them once per reconcile, not per read.
    private Dictionary<string, List<SimBundleDeployment>>? _bdsByNamespace;
    private (SimulationState? State, long Deployments) _bdsByNamespaceSet;
    private Dictionary<string, List<SimBundleDeployment>>? _bdsByGitRepo;
    private (SimulationState? State, long Deployments, int Bundles) _bdsByGitRepoSet;

    /// <summary>How many times the indexes were dropped for a new state version (for tests).</summary>
    public int Rebuilds { get; private set; }

    /// <summary>Drops everything if <paramref name="sim"/>'s state moved since the indexes were built.</summary>
    public void Validate(FleetSimulation sim)
    {
        var s = sim.State;
        var now = (s.ResourceVersion, s.Clusters.Count, s.ClusterGroups.Count, s.GitRepos.Count, s.Bundles.Count, s.BundleDeployments.Count);
        if (now == _version) return;
        _version = now;
        _all.Clear();
        _filtered.Clear();
        _options.Clear();
        if (_bdLabels.Count > 2 * s.BundleDeployments.Count) _bdLabels.Clear();
        if (_rendered.Count > 2 * (s.Clusters.Count + s.GitRepos.Count + s.BundleDeployments.Count) + 64) _rendered.Clear();
        if (_uids.Count > 2 * s.Clusters.Count + 64) _uids.Clear();
        Rebuilds++;
    }

    /// <summary>The objects of <paramref name="plural"/> in <paramref name="ns"/> (all when null) matching the selector, in key order.</summary>
    public HubListEntry[] List(FleetSimulation sim, string plural, string? ns, string selectorText, LabelSelector selector)
    {
        if (_filtered.TryGetValue((plural, ns, selectorText), out var cached)) return cached;
        var all = All(sim, plural);
        HubListEntry[] list;
        if (ns is null && selectorText.Length == 0) list = all;
        else
        {
            var matched = new List<HubListEntry>();
            foreach (var e in all)
                if ((ns is null || e.Namespace == ns) && selector.Matches(e.Labels)) matched.Add(e);
            list = [.. matched];
        }
        if (_filtered.Count >= MaxFilteredLists) _filtered.Clear();
        _filtered[(plural, ns, selectorText)] = list;
        return list;
    }

    /// <summary>The index of the first entry whose key sorts after <paramref name="after"/> (ordinal), or 0 when null.</summary>
    public static int StartAfter(HubListEntry[] list, string? after)
    {
        if (after is null) return 0;
        int lo = 0, hi = list.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (string.CompareOrdinal(list[mid].Key, after) > 0) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>The object <paramref name="ns"/>/<paramref name="name"/> of <paramref name="plural"/>, or null: a
    /// lookup in the state (keyed by namespace/name), so a single GET builds no index.</summary>
    public static object? Find(FleetSimulation sim, string plural, string ns, string name)
    {
        var s = sim.State;
        var key = ns + "/" + name;
        object? found = plural switch
        {
            "clusters" => s.Clusters.GetValueOrDefault(key),
            "clustergroups" => s.ClusterGroups.GetValueOrDefault(key),
            "gitrepos" => s.GitRepos.GetValueOrDefault(key),
            "bundles" => s.Bundles.GetValueOrDefault(key),
            "bundledeployments" => s.BundleDeployments.GetValueOrDefault(key),
            _ => null,
        };
        return found;
    }

    /// <summary>The JSON <paramref name="item"/> was last written as, when it was written at <paramref name="version"/>.</summary>
    public bool TryGetRendered(object item, RenderedVersion version, out byte[] json)
    {
        var found = _rendered.TryGetValue(item, out var kept) && kept.Version == version;
        json = found ? kept.Json : [];
        return found;
    }

    /// <summary>An object's uid, made once per object (a hash: a Cluster is written again at every check-in).</summary>
    public string UidOf(object item, Func<string> make)
    {
        if (!_uids.TryGetValue(item, out var uid)) _uids[item] = uid = make();
        return uid;
    }

    /// <summary>Keeps the JSON <paramref name="item"/> was written as at <paramref name="version"/>.</summary>
    public void KeepRendered(object item, RenderedVersion version, byte[] json) => _rendered[item] = (version, json);

    /// <summary>A BundleDeployment's Fleet labels, built once per state version.</summary>
    public IReadOnlyDictionary<string, string> LabelsOf(SimBundleDeployment bd)
    {
        if (_bdLabels.TryGetValue(bd, out var known) && known.ResourceVersion == bd.ResourceVersion) return known.Labels;
        var labels = bd.FleetLabels();
        _bdLabels[bd] = (bd.ResourceVersion, labels);
        return labels;
    }

    /// <summary>The BundleDeployments in a cluster's namespace, in key order.</summary>
    public List<SimBundleDeployment> DeploymentsIn(FleetSimulation sim, string ns)
    {
        if (_bdsByNamespace is null || _bdsByNamespaceSet != (sim.State, sim.State.DeploymentSetVersion))
        {
            _bdsByNamespaceSet = (sim.State, sim.State.DeploymentSetVersion);
            _bdsByNamespace = new Dictionary<string, List<SimBundleDeployment>>(StringComparer.Ordinal);
            foreach (var bd in sim.State.BundleDeployments.Values)
            {
                if (!_bdsByNamespace.TryGetValue(bd.Namespace, out var list)) _bdsByNamespace[bd.Namespace] = list = [];
                list.Add(bd);
            }
        }
        return _bdsByNamespace.GetValueOrDefault(ns) ?? [];
    }

    /// <summary>The BundleDeployments of a GitRepo's bundles (same namespace), in key order: one pass over all of them.</summary>
    public List<SimBundleDeployment> DeploymentsOf(FleetSimulation sim, SimGitRepo repo)
    {
        if (_bdsByGitRepo is null || _bdsByGitRepoSet != (sim.State, sim.State.DeploymentSetVersion, sim.State.Bundles.Count))
        {
            _bdsByGitRepoSet = (sim.State, sim.State.DeploymentSetVersion, sim.State.Bundles.Count);
            _bdsByGitRepo = new Dictionary<string, List<SimBundleDeployment>>(StringComparer.Ordinal);
            foreach (var bd in sim.State.BundleDeployments.Values)
            {
                if (!sim.State.Bundles.TryGetValue(bd.BundleKey, out var bundle)) continue;
                var key = bundle.Namespace + "/" + bundle.GitRepo;
                if (!_bdsByGitRepo.TryGetValue(key, out var list)) _bdsByGitRepo[key] = list = [];
                list.Add(bd);
            }
        }
        return _bdsByGitRepo.GetValueOrDefault(repo.Namespace + "/" + repo.Name) ?? [];
    }

    /// <summary>A deployment's options as the JSON bytes <see cref="JsonNode.WriteTo"/> writes, serialised once per state version.</summary>
    public byte[]? OptionsJson(FleetSimulation sim, string deploymentId)
    {
        if (_options.TryGetValue(deploymentId, out var bytes)) return bytes;
        if (!sim.State.Deployments.TryGetValue(deploymentId, out var info)) return null;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer)) info.Options.WriteTo(w);
        _options[deploymentId] = bytes = buffer.WrittenSpan.ToArray();
        return bytes;
    }

    private HubListEntry[] All(FleetSimulation sim, string plural)
    {
        if (_all.TryGetValue(plural, out var all)) return all;
        var s = sim.State;
        // The state's dictionaries are keyed and ordinal-sorted by namespace/name already: the key as the list's sort key,
        // and list order without a sort.
        all = plural switch
        {
            "clusters" => [.. s.Clusters.Select(p => new HubListEntry(p.Key, p.Value.Namespace, p.Value.Name, p.Value.Labels, p.Value))],
            "clustergroups" => [.. s.ClusterGroups.Select(p => new HubListEntry(p.Key, p.Value.Namespace, p.Value.Name, p.Value.Labels, p.Value))],
            "gitrepos" => [.. s.GitRepos.Select(p => new HubListEntry(p.Key, p.Value.Namespace, p.Value.Name, p.Value.Labels, p.Value))],
            "bundles" => [.. s.Bundles.Select(p => new HubListEntry(p.Key, p.Value.Namespace, p.Value.Name, p.Value.Labels, p.Value))],
            "bundledeployments" => [.. s.BundleDeployments.Select(p => new HubListEntry(p.Key, p.Value.Namespace, p.Value.Name, LabelsOf(p.Value), p.Value))],
            _ => throw new ArgumentOutOfRangeException(nameof(plural), plural, "not a hub resource"),
        };
        for (var i = 1; i < all.Length; i++)
            if (string.CompareOrdinal(all[i - 1].Key, all[i].Key) >= 0)
            {
                // A state dictionary keyed otherwise than namespace/name: sort as the list order requires.
                Array.Sort(all, (a, b) => string.CompareOrdinal(a.Key, b.Key));
                break;
            }
        _all[plural] = all;
        return all;
    }
}
