namespace EdgeInfra.Lab.Hub;

/// <summary>The series of each store's app metrics (two request counters, a latency histogram's buckets), built once and
/// kept while the store serves that version from that ring.</summary>
/// <remarks>Not thread-safe: used under the hub's lock.</remarks>
public sealed class MetricLabelSets
{
    private const int MaxSets = 200_000;
    private readonly Dictionary<string, LabelSet> _sets = new(StringComparer.Ordinal);

    /// <summary>A store's series, by their exposition labels (<c>store="…",ring="…",app="…",version="…"</c>).</summary>
    internal LabelSet For(string labels, StoreSeries store)
    {
        if (_sets.TryGetValue(labels, out var set)) return set;
        // Versions come and go: a lab that has run many releases starts its set again rather than keep every old one.
        if (_sets.Count >= MaxSets) _sets.Clear();
        var buckets = new MetricSeries[MetricsWriter.Buckets.Length + 1];
        for (var i = 0; i < MetricsWriter.Buckets.Length; i++)
            buckets[i] = Make("http_request_duration_seconds_bucket", labels, store, "le", MetricsWriter.BucketLabels[i]);
        buckets[^1] = Make("http_request_duration_seconds_bucket", labels, store, "le", "+Inf");
        set = new LabelSet(Make("http_requests_total", labels, store, "code", "200"), Make("http_requests_total", labels, store, "code", "500"), buckets);
        _sets[labels] = set;
        return set;
    }

    private static MetricSeries Make(string name, string labels, StoreSeries store, string label, string value) =>
        new($"{name}{{{labels},{label}=\"{value}\"}}", name, new Dictionary<string, string>(5, StringComparer.Ordinal)
        {
            ["store"] = store.Store,
            ["ring"] = store.Ring,
            ["app"] = store.App,
            ["version"] = store.Version,
            [label] = value,
        });

    /// <summary>One store's series: the 200 and 500 request counters and the buckets, +Inf last.</summary>
    internal sealed record LabelSet(MetricSeries Ok, MetricSeries Errors, MetricSeries[] Buckets);
}
