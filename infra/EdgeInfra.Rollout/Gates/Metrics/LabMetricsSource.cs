using System.Globalization;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>The lab's metrics: scrapes the simulator's <c>/metrics</c> exposition when a gate asks (once per ring and
/// virtual instant), keeps the samples keyed by its clock's now and computes rates, ratios and p99 over the window as
/// the compiled PromQL would on Prometheus.</summary>
/// <remarks>Raw PromQL cannot be evaluated here; a raw gate in the lab is Inconclusive with that reason.</remarks>
public sealed class LabMetricsSource : IMetricsSource
{
    private readonly Func<string, CancellationToken, Task<string>> _scrape;
    private readonly TimeProvider _time;
    private readonly SampleHistory _history = new(TimeSpan.FromHours(6));
    private readonly Dictionary<string, DateTimeOffset> _scrapedAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="scrape">Returns the exposition text for a ring (the simulator's <c>/metrics?ring=R</c>).</param>
    public LabMetricsSource(Func<string, CancellationToken, Task<string>> scrape, TimeProvider time, string description = "lab simulator metrics")
    {
        _scrape = scrape;
        _time = time;
        Description = description;
    }

    /// <summary>A source scraping <paramref name="metricsUrl"/> over HTTP, adding <c>?ring=</c>.</summary>
    public static LabMetricsSource ForUrl(HttpClient http, Uri metricsUrl, TimeProvider time) =>
        new(async (ring, ct) =>
        {
            var url = new Uri(metricsUrl, $"?ring={Uri.EscapeDataString(ring)}");
            using var response = await http.GetAsync(url, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }, time, $"lab simulator metrics {metricsUrl.GetLeftPart(UriPartial.Authority)}");

    public string Description { get; }

    public Task<MetricReading> QueryAsync(string promQl, CancellationToken cancellationToken) =>
        Task.FromResult(MetricReading.Failed("the lab evaluates structured metric gates only; a raw PromQL gate needs edge-infra:health.prometheus"));

    public async Task<MetricReading> MeasureAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (!_scrapedAt.TryGetValue(query.Ring, out var at) || at < now)
            {
                string text;
                try
                {
                    text = await _scrape(query.Ring, cancellationToken).ConfigureAwait(false);
                    _history.Add(now, ExpositionParser.Parse(text));
                }
                catch (Exception e) when (e is HttpRequestException or FormatException or IOException
                    or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    return MetricReading.Failed($"cannot scrape the simulator's metrics: {e.Message}");
                }
                _scrapedAt[query.Ring] = now;
            }
            return new MetricReading(Compute(query, now), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<string, double> Compute(MetricQuery query, DateTimeOffset now)
    {
        var by = query.Grouping == MetricGrouping.Store ? "store" : "ring";
        var match = new Dictionary<string, string>(StringComparer.Ordinal) { ["ring"] = query.Ring };
        var result = new Dictionary<string, double>(StringComparer.Ordinal);

        if (query.Measure == MetricMeasure.LatencyP99)
        {
            var buckets = new Dictionary<string, Dictionary<double, double>>(StringComparer.Ordinal);
            foreach (var series in _history.Select(PromQlCompiler.DurationBucket, match).Where(s => OfRelease(s, query)))
            {
                if (SampleHistory.Rate(series, now, query.Window) is not { } rate) continue;
                if (!series.Labels.TryGetValue(by, out var group) || !series.Labels.TryGetValue("le", out var leText)) continue;
                if (!TryParseBound(leText, out var le)) continue;
                if (!buckets.TryGetValue(group, out var perLe)) buckets[group] = perLe = [];
                perLe[le] = perLe.GetValueOrDefault(le) + rate;
            }
            foreach (var (group, perLe) in buckets)
                result[group] = HistogramQuantile.Of(0.99, perLe.Select(kv => (kv.Key, kv.Value)));
            return result;
        }

        var total = new Dictionary<string, double>(StringComparer.Ordinal);
        var errors = new Dictionary<string, double>(StringComparer.Ordinal);
        var increase = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in _history.Select(PromQlCompiler.RequestsTotal, match).Where(s => OfRelease(s, query)))
        {
            if (SampleHistory.RateOver(series, now, query.Window) is not { } over) continue;
            var (rate, covered) = over;
            if (!series.Labels.TryGetValue(by, out var group)) continue;
            total[group] = total.GetValueOrDefault(group) + rate;
            // increase() is the rate times the window, extrapolated no further than the samples reach: a rollout host
            // that just restarted has scraped a minute, and a minute's worth of requests must not count as five
            // minutes' (the store would be judged on a few dozen requests, where one error is a breach).
            increase[group] = increase.GetValueOrDefault(group) + rate * Math.Min(query.Window.TotalSeconds, covered);
            var code = series.Labels.GetValueOrDefault("code") ?? "";
            if (code.Length == 3 && code[0] == '5') errors[group] = errors.GetValueOrDefault(group) + rate;
        }
        foreach (var (group, t) in total)
        {
            var e = errors.GetValueOrDefault(group);
            result[group] = query.Measure switch
            {
                MetricMeasure.RequestCount => increase[group],
                MetricMeasure.ErrorRatio => e / t,
                _ => (t - e) / t,
            };
        }
        return result;
    }

    /// <summary>Whether a series carries one of the query's released app versions (any, when it names none).</summary>
    private static bool OfRelease(SampleHistory.Series series, MetricQuery query) =>
        query.Pairs.Count == 0 || query.Pairs.Any(p =>
            series.Labels.GetValueOrDefault("app") == p.Key && series.Labels.GetValueOrDefault("version") == p.Value);

    private static bool TryParseBound(string text, out double bound)
    {
        if (text is "+Inf" or "Inf") { bound = double.PositiveInfinity; return true; }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out bound);
    }
}
