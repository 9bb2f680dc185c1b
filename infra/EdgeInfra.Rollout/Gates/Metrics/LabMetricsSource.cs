using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>The lab's metrics: reads the simulator's samples (in process, or its <c>/metrics</c> exposition) when a gate
/// asks (once per ring and virtual instant), keeps them keyed by its clock's now and computes rates, ratios and p99 over
/// the window as the compiled PromQL would on Prometheus.</summary>
/// <remarks>Raw PromQL cannot be evaluated here; a raw gate in the lab is Inconclusive with that reason.</remarks>
public sealed class LabMetricsSource : IMetricsSource
{
    private readonly Func<string, CancellationToken, Task<string>>? _scrape;
    private readonly Func<string, IReadOnlyList<KeyedSample>>? _read;
    private readonly TimeProvider _time;
    private readonly SampleHistory _history;
    private readonly Dictionary<string, DateTimeOffset> _scrapedAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="scrape">Returns the exposition text for a ring (the simulator's <c>/metrics?ring=R</c>).</param>
    /// <param name="retention">How much sample history to keep: the longest window its gates ask for (a longer window
    /// asked widens it first). Null: an hour.</param>
    public LabMetricsSource(Func<string, CancellationToken, Task<string>> scrape, TimeProvider time, string description = "lab simulator metrics",
        TimeSpan? retention = null)
        : this(time, description, retention) => _scrape = scrape;

    /// <param name="read">Returns a ring's samples in process (the lab hub run by this process).</param>
    /// <param name="retention">As for the scraping source.</param>
    public LabMetricsSource(Func<string, IReadOnlyList<KeyedSample>> read, TimeProvider time, string description = "lab simulator metrics",
        TimeSpan? retention = null)
        : this(time, description, retention) => _read = read;

    private LabMetricsSource(TimeProvider time, string description, TimeSpan? retention)
    {
        _time = time;
        Description = description;
        // Each sweep keeps one baseline per series at or before the retention's start, so a rate over a window no longer
        // than the retention is exact whatever the retention. Every point kept costs: at 2,500 stores (45,000 series)
        // an hour of 15-second scrapes was ~260 MB of points that no 5-minute window reads, and most of the GC's work.
        _history = new SampleHistory(retention ?? TimeSpan.FromHours(1));
    }

    public string Description { get; }

    public Task<MetricReading> QueryAsync(string promQl, CancellationToken cancellationToken) =>
        Task.FromResult(MetricReading.Failed("the lab evaluates structured metric gates only; a raw PromQL gate needs edge-infra:health.prometheus"));

    public async Task<MetricReading> MeasureAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            _history.Retain(query.Window);
            if (!_scrapedAt.TryGetValue(query.Ring, out var at) || at < now)
            {
                try
                {
                    if (_read is not null) _history.Add(now, _read(query.Ring));
                    else _history.Add(now, ExpositionParser.Parse(await _scrape!(query.Ring, cancellationToken).ConfigureAwait(false)));
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
        // The gates of one evaluation ask for the same sums several times (each gate's volume guard, per store and per
        // ring): each is summed once per scrape, per store and per ring in one pass over the ring's series.
        if (_memoAt != now)
        {
            _memo.Clear();
            _memoAt = now;
        }
        var over = $"{query.Ring}\n{query.Window.Ticks}\n{string.Join(",", query.Pairs.Select(p => p.Key + "=" + p.Value))}";
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var byStore = query.Grouping == MetricGrouping.Store;
        if (query.Measure == MetricMeasure.LatencyP99)
        {
            var key = "p99\n" + over;
            if (!_memo.TryGetValue(key, out var sums)) _memo[key] = sums = LatencyBuckets(query, now);
            foreach (var (group, perLe) in byStore ? ((LatencySums)sums).ByStore : ((LatencySums)sums).ByRing)
                result[group] = HistogramQuantile.Of(0.99, perLe);
            return result;
        }

        if (!_memo.TryGetValue(over, out var requestSums)) _memo[over] = requestSums = Requests(query, now);
        var requests = byStore ? ((RequestSums)requestSums).ByStore : ((RequestSums)requestSums).ByRing;
        foreach (var (group, t) in requests.Total)
        {
            var e = requests.Errors.GetValueOrDefault(group);
            result[group] = query.Measure switch
            {
                MetricMeasure.RequestCount => requests.Increase[group],
                MetricMeasure.ErrorRatio => e / t,
                _ => (t - e) / t,
            };
        }
        return result;
    }

    private DateTimeOffset _memoAt;
    private readonly Dictionary<string, object> _memo = new(StringComparer.Ordinal);

    /// <summary>Per group, the request rate in total and of 5xx answers, and the requests' increase over the window.</summary>
    private sealed record RequestGroups(Dictionary<string, double> Total, Dictionary<string, double> Errors, Dictionary<string, double> Increase)
    {
        public RequestGroups() : this(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)) { }

        public void Add(string group, double rate, double increase, bool error)
        {
            ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(Total, group, out _);
            total += rate;
            ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(Increase, group, out _);
            sum += increase;
            if (!error) return;
            ref var errors = ref CollectionsMarshal.GetValueRefOrAddDefault(Errors, group, out _);
            errors += rate;
        }
    }

    /// <summary>The request sums of a ring's series, per store and per ring.</summary>
    private sealed record RequestSums(RequestGroups ByStore, RequestGroups ByRing);

    /// <summary>Per group, the rate of each latency bucket (bound, rate), bounds in the order first seen; per store and per ring.</summary>
    private sealed record LatencySums(Dictionary<string, List<(double UpperBound, double Count)>> ByStore,
        Dictionary<string, List<(double UpperBound, double Count)>> ByRing);

    private LatencySums LatencyBuckets(MetricQuery query, DateTimeOffset now)
    {
        var sums = new LatencySums(new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        foreach (var series in _history.Select(PromQlCompiler.DurationBucket, RingMatch(query)))
        {
            if (!OfRelease(series, query)) continue;
            if (_history.Rate(series, now, query.Window) is not { } rate || series.Bound is not { } le) continue;
            if (series.Store is { } store) AddBucket(sums.ByStore, store, le, rate);
            if (series.Ring is { } ring) AddBucket(sums.ByRing, ring, le, rate);
        }
        return sums;
    }

    private static void AddBucket(Dictionary<string, List<(double UpperBound, double Count)>> buckets, string group, double le, double rate)
    {
        if (!buckets.TryGetValue(group, out var perLe)) buckets[group] = perLe = new(8);
        // A handful of bounds per group: a scan beats hashing doubles.
        for (var i = 0; i < perLe.Count; i++)
        {
            if (!perLe[i].UpperBound.Equals(le)) continue;
            perLe[i] = (le, perLe[i].Count + rate);
            return;
        }
        perLe.Add((le, rate));
    }

    private RequestSums Requests(MetricQuery query, DateTimeOffset now)
    {
        var sums = new RequestSums(new(), new());
        foreach (var series in _history.Select(PromQlCompiler.RequestsTotal, RingMatch(query)))
        {
            if (!OfRelease(series, query)) continue;
            if (_history.RateOver(series, now, query.Window) is not { } over) continue;
            var (rate, covered) = over;
            // increase() is the rate times the window, extrapolated no further than the samples reach: a rollout host
            // that just restarted has scraped a minute, and a minute's worth of requests must not count as five
            // minutes' (the store would be judged on a few dozen requests, where one error is a breach).
            var increase = rate * Math.Min(query.Window.TotalSeconds, covered);
            var code = series.Code ?? "";
            var error = code.Length == 3 && code[0] == '5';
            if (series.Store is { } store) sums.ByStore.Add(store, rate, increase, error);
            if (series.Ring is { } ring) sums.ByRing.Add(ring, rate, increase, error);
        }
        return sums;
    }

    private static Dictionary<string, string> RingMatch(MetricQuery query) => new(StringComparer.Ordinal) { ["ring"] = query.Ring };

    /// <summary>Whether a series carries one of the query's released app versions (any, when it names none).</summary>
    private static bool OfRelease(SampleHistory.Series series, MetricQuery query)
    {
        var pairs = query.Pairs;
        if (pairs.Count == 0) return true;
        for (var i = 0; i < pairs.Count; i++)
            if (series.App == pairs[i].Key && series.Version == pairs[i].Value) return true;
        return false;
    }
}
