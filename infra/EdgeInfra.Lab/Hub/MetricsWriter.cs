using System.Globalization;
using System.Text;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.Config;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.Hub;

/// <summary>Per-store app metrics in Prometheus text exposition: request counters by code and a latency histogram.</summary>
/// <remarks>
/// Every value is a pure function of virtual time and the seed: a store serving r requests/s (by its traffic-tier,
/// varied ±20 % per store) since its release started has served floor(r·t) requests; latency is log-normal through
/// the profile's p50/p99 (a latency fault moves p99); an errors fault makes that share answer 500. Offline stores
/// are absent (nothing scrapes them), as are stores whose app is not running.
/// </remarks>
internal static class MetricsWriter
{
    public static readonly double[] Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private const double BaselineErrorRate = 0.001;
    private const double Z99 = 2.3263478740408408;

    /// <summary>One store's app series at this instant: whom they describe, the request counts and the latency profile.</summary>
    private readonly record struct Series(string BundleDeployment, string Store, string Ring, string App, string Version, long Ok, long Errors,
        double P50, double Sigma)
    {
        public string Labels => LabelText(Store, Ring, App, Version);
    }

    private const string RequestsTotal = "http_requests_total";
    private const string DurationBucket = "http_request_duration_seconds_bucket";

    /// <summary>The exposition text of <paramref name="ring"/>'s stores (every store's when null), as <c>/metrics</c> serves it.</summary>
    public static string Write(FleetSimulation sim, string? ring)
    {
        var series = Measure(sim, ring, null);
        var sb = new StringBuilder(series.Count * 900);
        sb.Append("# HELP http_requests_total Requests the store's app answered, by HTTP status code.\n");
        sb.Append("# TYPE http_requests_total counter\n");
        var labels = series.Select(s => s.Labels).ToList();
        for (var n = 0; n < series.Count; n++)
        {
            Line(sb, RequestsTotal, labels[n] + ",code=\"200\"", series[n].Ok);
            Line(sb, RequestsTotal, labels[n] + ",code=\"500\"", series[n].Errors);
        }
        sb.Append("# HELP http_request_duration_seconds Latency of the store's app.\n");
        sb.Append("# TYPE http_request_duration_seconds histogram\n");
        for (var n = 0; n < series.Count; n++)
        {
            var s = series[n];
            var count = s.Ok + s.Errors;
            for (var i = 0; i < Buckets.Length; i++)
                Line(sb, DurationBucket, labels[n] + $",le=\"{BucketLabels[i]}\"", BucketCount(count, Share(s.P50, s.Sigma, i)));
            Line(sb, DurationBucket, labels[n] + ",le=\"+Inf\"", count);
            var mean = s.P50 * Math.Exp(s.Sigma * s.Sigma / 2);
            sb.Append("http_request_duration_seconds_sum{").Append(labels[n]).Append("} ")
              .Append((count * mean).ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            Line(sb, "http_request_duration_seconds_count", labels[n], count);
        }
        return sb.ToString();
    }

    /// <summary>The samples a gate reads (request counters and latency buckets) of <paramref name="ring"/>'s stores, with
    /// the values <see cref="Write"/> prints, as structured samples: the lab's own rollout host reads them in process
    /// instead of printing and parsing the text at every gate evaluation.</summary>
    /// <param name="labels">Label sets already built, by series: a store's series keep their labels from one scrape to
    /// the next, so each is built once.</param>
    public static List<LabMetricSample> Samples(FleetSimulation sim, string? ring, MetricLabelSets labels)
    {
        var series = Measure(sim, ring, labels);
        var samples = new List<LabMetricSample>(series.Count * (3 + Buckets.Length));
        foreach (var s in series)
        {
            var set = labels.For(s.BundleDeployment, s.Store, s.Ring, s.App, s.Version);
            var shares = labels.Shares(s.P50, s.Sigma);
            var count = s.Ok + s.Errors;
            samples.Add(new LabMetricSample(set.Ok, s.Ok));
            samples.Add(new LabMetricSample(set.Errors, s.Errors));
            for (var i = 0; i < Buckets.Length; i++)
                samples.Add(new LabMetricSample(set.Buckets[i], BucketCount(count, shares[i])));
            samples.Add(new LabMetricSample(set.Buckets[^1], count));
        }
        return samples;
    }

    /// <param name="constants">Values that only depend on the store and the seed, kept from scrape to scrape; null
    /// computes them.</param>
    private static List<Series> Measure(FleetSimulation sim, string? ring, MetricLabelSets? constants)
    {
        // A ring's scrape reads the ring's BundleDeployments, in the state's order, not every one of the fleet.
        var candidates = ring is not null && constants?.DeploymentsOfRing(sim, ring) is { } ofRing
            ? ofRing
            : (IReadOnlyCollection<KeyValuePair<string, SimBundleDeployment>>)sim.State.BundleDeployments;
        // Sized once for every candidate: grown by doubling, a 2,500-store ring's list was copied a dozen times per
        // scrape (a struct of references: every copy goes through the GC's write barrier).
        var series = new List<Series>(candidates.Count);
        var settings = sim.Setup.Settings;
        var now = sim.State.Now;
        // Rings whose bundles render the same options share one deployment ID (and its first ring's info), so a store's
        // ring is the ring label of the bundle it was deployed from. A handful of bundles: their rings are looked up
        // once per scrape, and another ring's BDs are skipped before anything else is read.
        var ringOfBundle = new Dictionary<string, string?>(sim.State.Bundles.Count, StringComparer.Ordinal);
        foreach (var (bundleKey, bundle) in sim.State.Bundles)
            ringOfBundle[bundleKey] = bundle.Labels.GetValueOrDefault(BundleRenderer.RingLabel);
        foreach (var (key, bd) in candidates)
        {
            var bundleRing = ringOfBundle.GetValueOrDefault(bd.BundleKey);
            if (ring is not null && bundleRing is not null && bundleRing != ring) continue;
            if (bd.AppliedDeploymentId.Length == 0 || bd.RunningSince is not { } since) continue;
            if (!sim.State.Deployments.TryGetValue(bd.AppliedDeploymentId, out var info) || !info.ServesTraffic) continue;
            var storeRing = bundleRing ?? info.Ring;
            if (ring is not null && storeRing != ring) continue;
            if (!sim.State.Clusters.TryGetValue(bd.ClusterKey, out var c) || c.Offline || c.RegisteredAt is null) continue;
            var fault = sim.FaultFor(c, info);
            var tier = c.Labels.GetValueOrDefault(StoreLabels.TrafficTier) ?? "";
            var rps = (settings.TrafficRps.TryGetValue(tier, out var r) ? r : settings.DefaultRps) *
                      (constants?.TrafficFactor(sim.Setup.Seed, c.Name) ?? TrafficFactor(sim.Setup.Seed, c.Name));
            var serving = bd.Ready && fault?.Effect != FaultEffect.NotReady;
            var total = serving ? (long)Math.Floor(rps * Math.Max(0, (now - since).TotalSeconds)) : 0;
            var errorRate = fault?.Effect == FaultEffect.Errors ? fault.ErrorRate : BaselineErrorRate;
            var errors = (long)Math.Floor(total * errorRate);
            var p50 = settings.Latency.P50.TotalSeconds;
            var p99 = settings.Latency.P99.TotalSeconds;
            if (fault?.Effect == FaultEffect.Latency)
            {
                p50 *= fault.P99.TotalSeconds / p99;
                p99 = fault.P99.TotalSeconds;
            }
            series.Add(new Series(key, c.Name, storeRing, info.App, info.Version, total - errors, errors, p50, Math.Log(p99 / p50) / Z99));
        }
        return series;
    }

    /// <summary>A store's traffic relative to its tier's (±20 %), a pure function of the seed and the store.</summary>
    internal static double TrafficFactor(ulong seed, string store) => 0.8 + 0.4 * DeterministicRandom.Unit(seed, "traffic", store);

    /// <summary>The cumulative share of requests at or under bucket <paramref name="i"/>'s bound.</summary>
    internal static double Share(double p50, double sigma, int i) => NormalCdf((Math.Log(Buckets[i]) - Math.Log(p50)) / sigma);

    /// <summary>The <c>le</c> label of each finite bucket, as printed.</summary>
    internal static readonly string[] BucketLabels = [.. Buckets.Select(b => b.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The requests of <paramref name="count"/> at or under a bound whose cumulative share is <paramref name="share"/>.</summary>
    /// <remarks>Rounded to nearest, not floored: flooring drops one request from every bucket below +Inf, and over a
    /// short window of a new store (a few dozen requests) that one request alone pushes the p99 into +Inf, which
    /// histogram_quantile reports as the largest finite bound (2.5 s). Rounding is still monotone in count and in share.</remarks>
    internal static long BucketCount(long count, double share) => Math.Min(count, (long)Math.Round(count * share, MidpointRounding.AwayFromZero));

    private static void Line(StringBuilder sb, string name, string labels, long value) =>
        sb.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    /// <summary>A store's series labels as the exposition prints them (<c>store="…",ring="…",app="…",version="…"</c>).</summary>
    internal static string LabelText(string store, string ring, string app, string version) =>
        $"store=\"{Escape(store)}\",ring=\"{Escape(ring)}\",app=\"{Escape(app)}\",version=\"{Escape(version)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>Φ(x), from erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7).</summary>
    internal static double NormalCdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * z);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
