using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.Hub;

/// <summary>What a scrape of the lab's app metrics keeps for the next one: each store's series (two request counters, a
/// latency histogram's buckets), built once and kept while the store serves that version from that ring, and the values
/// that depend only on the store or the latency profile.</summary>
/// <remarks>Not thread-safe: used under the hub's lock.</remarks>
public sealed class MetricLabelSets
{
    private const int MaxEntries = 200_000;
    private readonly Dictionary<string, Entry> _byBundleDeployment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _traffic = new(StringComparer.Ordinal);
    private readonly Dictionary<(double P50, double Sigma), double[]> _shares = [];

    /// <summary>The series of the store a BundleDeployment deploys, as it serves <paramref name="app"/>
    /// <paramref name="version"/> from <paramref name="ring"/>.</summary>
    internal LabelSet For(string bundleDeployment, string store, string ring, string app, string version)
    {
        if (_byBundleDeployment.TryGetValue(bundleDeployment, out var entry) &&
            entry.Store == store && entry.Ring == ring && entry.App == app && entry.Version == version)
            return entry.Set;
        // Versions come and go: a lab that has run many releases starts again rather than keep every old one.
        if (_byBundleDeployment.Count >= MaxEntries) _byBundleDeployment.Clear();
        var labels = MetricsWriter.LabelText(store, ring, app, version);
        var series = new StoreSeries(store, ring, app, version);
        var buckets = new MetricSeries[MetricsWriter.Buckets.Length + 1];
        for (var i = 0; i < MetricsWriter.Buckets.Length; i++)
            buckets[i] = Make("http_request_duration_seconds_bucket", labels, series, "le", MetricsWriter.BucketLabels[i]);
        buckets[^1] = Make("http_request_duration_seconds_bucket", labels, series, "le", "+Inf");
        var set = new LabelSet(Make("http_requests_total", labels, series, "code", "200"), Make("http_requests_total", labels, series, "code", "500"), buckets);
        _byBundleDeployment[bundleDeployment] = new Entry(store, ring, app, version, set);
        return set;
    }

    /// <summary><see cref="MetricsWriter.TrafficFactor"/> of a store, computed once.</summary>
    internal double TrafficFactor(ulong seed, string store)
    {
        if (_traffic.TryGetValue(store, out var factor)) return factor;
        if (_traffic.Count >= MaxEntries) _traffic.Clear();
        return _traffic[store] = MetricsWriter.TrafficFactor(seed, store);
    }

    /// <summary>Each finite bucket's cumulative share for a latency profile (a handful of profiles per lab), computed once.</summary>
    internal double[] Shares(double p50, double sigma)
    {
        if (_shares.TryGetValue((p50, sigma), out var shares)) return shares;
        if (_shares.Count >= 1024) _shares.Clear();
        shares = new double[MetricsWriter.Buckets.Length];
        for (var i = 0; i < shares.Length; i++) shares[i] = MetricsWriter.Share(p50, sigma, i);
        return _shares[(p50, sigma)] = shares;
    }

    /// <summary>The BundleDeployments of the bundles labelled with <paramref name="ring"/>, in the state's order; null
    /// when a bundle has no ring label or a BundleDeployment no bundle (their ring is their deployment's, so every one is
    /// read).</summary>
    /// <remarks>Kept while the set of BundleDeployments and the bundles stand: a scrape of a ring in motion, every 15
    /// seconds, walked all of the fleet's.</remarks>
    internal List<KeyValuePair<string, SimBundleDeployment>>? DeploymentsOfRing(FleetSimulation sim, string ring)
    {
        var state = sim.State;
        // A bundle's status moves at every reconcile, its ring label only with the fleet repo: the index stands while
        // each bundle (in the state's order) keeps its ring.
        var bundleRings = new string?[state.Bundles.Count * 2];
        var n = 0;
        foreach (var (key, bundle) in state.Bundles)
        {
            bundleRings[n++] = key;
            bundleRings[n++] = bundle.Labels.GetValueOrDefault(BundleRenderer.RingLabel);
        }
        if (!ReferenceEquals(_ringsOf.State, state) || _ringsOf.Deployments != state.DeploymentSetVersion || !bundleRings.AsSpan().SequenceEqual(_ringsOf.Bundles))
        {
            _ringsOf = (state, state.DeploymentSetVersion, bundleRings);
            _byRing = null;
            var ringOfBundle = new Dictionary<string, string>(state.Bundles.Count, StringComparer.Ordinal);
            foreach (var (key, bundle) in state.Bundles)
            {
                if (bundle.Labels.GetValueOrDefault(BundleRenderer.RingLabel) is not { } label) return null;
                ringOfBundle[key] = label;
            }
            var byRing = new Dictionary<string, List<KeyValuePair<string, SimBundleDeployment>>>(StringComparer.Ordinal);
            foreach (var pair in state.BundleDeployments)
            {
                // A BundleDeployment whose bundle is gone takes its deployment's ring: read them all.
                if (!ringOfBundle.TryGetValue(pair.Value.BundleKey, out var label)) return null;
                if (!byRing.TryGetValue(label, out var list)) byRing[label] = list = [];
                list.Add(pair);
            }
            _byRing = byRing;
        }
        return _byRing is null ? null : _byRing.GetValueOrDefault(ring) ?? [];
    }

    private (SimulationState? State, long Deployments, string?[] Bundles) _ringsOf = (null, 0, []);
    private Dictionary<string, List<KeyValuePair<string, SimBundleDeployment>>>? _byRing;

    private static MetricSeries Make(string name, string labels, StoreSeries store, string label, string value) =>
        new($"{name}{{{labels},{label}=\"{value}\"}}", name, new Dictionary<string, string>(5, StringComparer.Ordinal)
        {
            ["store"] = store.Store,
            ["ring"] = store.Ring,
            ["app"] = store.App,
            ["version"] = store.Version,
            [label] = value,
        });

    private sealed record Entry(string Store, string Ring, string App, string Version, LabelSet Set);

    /// <summary>One store's series: the 200 and 500 request counters and the buckets, +Inf last.</summary>
    internal sealed record LabelSet(MetricSeries Ok, MetricSeries Errors, MetricSeries[] Buckets);
}
