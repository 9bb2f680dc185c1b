namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>The samples of every scraped series, keyed by scrape time, from which counter rates over a window are
/// computed the way Prometheus' <c>rate()</c> sees them: the increase between the window's first and last samples
/// (counter resets handled), per second.</summary>
/// <remarks>
/// The lab scrapes when a gate asks, so samples may be sparser than the window: the baseline is then the last sample
/// at or before the window's start, and the rate spans from it to now. A series needs two samples to have a rate.
/// Samples older than the retention are dropped, keeping one baseline per series: a rate over a window no longer than the
/// retention sees what it would see with every sample kept.
/// </remarks>
internal sealed class SampleHistory(TimeSpan retention)
{
    private TimeSpan _retention = retention;

    /// <summary>Keeps at least <paramref name="window"/> of samples from now on: a source that starts with a short
    /// retention widens it to the longest window a query asks for before computing it.</summary>
    public void Retain(TimeSpan window)
    {
        if (window > _retention) _retention = window;
    }

    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    /// <summary>The series per metric name and <c>ring</c> label (empty when none), in the order they were first seen:
    /// a gate's query selects one ring's series of one metric, not every series of the fleet.</summary>
    private readonly Dictionary<(string Name, string Ring), List<Series>> _byRing = [];

    public int SeriesCount => _series.Count;

    public void Add(DateTimeOffset at, IEnumerable<ExpositionSample> samples)
    {
        foreach (var s in samples) Add(at, Key(s.Name, s.Labels), s.Name, s.Labels, s.Value);
        DropOlderThan(at);
    }

    public void Add(DateTimeOffset at, IReadOnlyList<KeyedSample> samples)
    {
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            // An in-process source hands the same key instance at every scrape: found by reference, its text not hashed.
            if (!_byKeyInstance.TryGetValue(s.SeriesKey, out var series))
            {
                series = Find(s.SeriesKey, s.Name, s.Labels);
                if (_byKeyInstance.Count >= MaxKeyInstances) _byKeyInstance.Clear();
                _byKeyInstance[s.SeriesKey] = series;
            }
            series.Append(at, s.Value);
        }
        DropOlderThan(at);
    }

    private const int MaxKeyInstances = 500_000;
    private readonly Dictionary<string, Series> _byKeyInstance = new(ReferenceEqualityComparer.Instance);

    private void Add(DateTimeOffset at, string key, string name, IReadOnlyDictionary<string, string> labels, double value) =>
        Find(key, name, labels).Append(at, value);

    private Series Find(string key, string name, IReadOnlyDictionary<string, string> labels)
    {
        if (!_series.TryGetValue(key, out var series))
        {
            _series[key] = series = new Series(name, labels);
            var byRing = (name, labels.GetValueOrDefault(RingLabel) ?? "");
            if (!_byRing.TryGetValue(byRing, out var list)) _byRing[byRing] = list = [];
            list.Add(series);
        }
        return series;
    }

    /// <summary>Drops the points older than the retention before <paramref name="at"/>, keeping one baseline per series.</summary>
    /// <remarks>Every series is swept at most once per eighth of the retention: until then the older points stay, and
    /// <see cref="RateOver"/> reads past none of them (<see cref="Baseline"/>), so what a rate sees is as if each sweep
    /// had run at every scrape.</remarks>
    private void DropOlderThan(DateTimeOffset at)
    {
        _latest = at > _latest ? at : _latest;
        var cutoff = at - _retention;
        if (cutoff < _nextSweep) return;
        foreach (var series in _series.Values) series.DropBefore(cutoff);
        _nextSweep = cutoff + _retention / 8;
    }

    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;
    private DateTimeOffset _latest = DateTimeOffset.MinValue;

    /// <summary>The earliest time a rate may take its baseline from: the retention before the latest scrape.</summary>
    private DateTimeOffset Baseline => _latest == DateTimeOffset.MinValue ? _latest : _latest - _retention;

    /// <summary>Every series of a metric whose labels include all of <paramref name="match"/>.</summary>
    public IEnumerable<Series> Select(string name, IReadOnlyDictionary<string, string> match)
    {
        if (match.TryGetValue(RingLabel, out var ring))
        {
            var ofRing = _byRing.GetValueOrDefault((name, ring)) ?? [];
            // The ring's series of the metric are exactly those (a series without the label is filed under ""): with
            // nothing else to match (a gate's query), no filter.
            if (match.Count == 1 && ring.Length > 0) return ofRing;
            return ofRing.Where(s => match.All(m => s.Labels.TryGetValue(m.Key, out var v) && v == m.Value));
        }
        return _series.Values.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Key, out var v) && v == m.Value));
    }

    private const string RingLabel = "ring";

    /// <summary>The per-second rate of a counter series over the window ending at <paramref name="now"/>, or null with
    /// fewer than two samples.</summary>
    public double? Rate(Series series, DateTimeOffset now, TimeSpan window) => RateOver(series, now, window)?.PerSecond;

    /// <summary>The rate, and how many seconds of the window its samples cover (more than the window when the baseline
    /// sample is older than the window's start; less when the series has a shorter history).</summary>
    public (double PerSecond, double Seconds)? RateOver(Series series, DateTimeOffset now, TimeSpan window)
    {
        var points = series.Points;
        var last = points.Count > 0 && points[^1].Ticks <= now.UtcTicks ? points.Count - 1 : LastAtOrBefore(points, now, points.Count - 1);
        if (last < 1) return null;
        var first = LastAtOrBefore(points, now - window, last);
        // Points a sweep would already have dropped are never a baseline: the oldest a rate may start from is the last
        // point at or before the retention's start (or the first point, when none is that old).
        var oldest = points[0].Ticks <= Baseline.UtcTicks ? LastAtOrBefore(points, Baseline, last) : 0;
        if (first < oldest) first = oldest;
        if (first >= last) return null;
        // Counter resets were accounted for when each point was appended: the increase is a difference of running sums.
        var increase = points[last].Increase - points[first].Increase;
        var seconds = TimeSpan.FromTicks(points[last].Ticks - points[first].Ticks).TotalSeconds;
        return seconds > 0 ? (increase / seconds, seconds) : null;
    }

    /// <summary>The index of the last point at or before <paramref name="at"/> among the first <paramref name="upTo"/> + 1,
    /// or -1: a binary search, as points are in strictly increasing time order (<see cref="Add"/> keeps them so), where
    /// gates read every series of a ring at every evaluation over hours of samples.</summary>
    private static int LastAtOrBefore(List<Point> points, DateTimeOffset at, int upTo)
    {
        var ticks = at.UtcTicks;
        int lo = 0, hi = upTo;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (points[mid].Ticks <= ticks) lo = mid + 1;
            else hi = mid - 1;
        }
        return hi;
    }

    /// <summary><c>name{k1=v1,k2=v2}</c> with the labels in ordinal order (once per sample of every scrape, so no LINQ).</summary>
    private static string Key(string name, IReadOnlyDictionary<string, string> labels)
    {
        var keys = new string[labels.Count];
        var i = 0;
        foreach (var k in labels.Keys) keys[i++] = k;
        Array.Sort(keys, StringComparer.Ordinal);
        var key = new System.Text.StringBuilder(name.Length + 16 * keys.Length).Append(name).Append('{');
        for (i = 0; i < keys.Length; i++)
        {
            if (i > 0) key.Append(',');
            key.Append(keys[i]).Append('=').Append(labels[keys[i]]);
        }
        return key.Append('}').ToString();
    }

    /// <summary>One sample of a series, with the running sum of the series' increases up to it (resets handled).</summary>
    internal readonly record struct Point(long Ticks, double Value, double Increase)
    {
        public DateTimeOffset At => new(Ticks, TimeSpan.Zero);
    }

    /// <summary>One series: its name, labels and samples in time order.</summary>
    internal sealed class Series(string name, IReadOnlyDictionary<string, string> labels)
    {
        public string Name { get; } = name;
        public IReadOnlyDictionary<string, string> Labels { get; } = labels;
        public List<Point> Points { get; } = [];

        /// <summary>Appends a sample later than the last one (an earlier or equal time is ignored), with the running sum
        /// of the counter's increases, a reset counting its new value as the increase.</summary>
        public void Append(DateTimeOffset at, double value)
        {
            if (Points.Count == 0)
            {
                Points.Add(new Point(at.UtcTicks, value, 0));
                return;
            }
            var previous = Points[^1];
            if (previous.Ticks >= at.UtcTicks) return;
            var delta = value - previous.Value;
            Points.Add(new Point(at.UtcTicks, value, previous.Increase + (delta >= 0 ? delta : value)));
        }

        /// <summary>Drops the points before the last one at or before <paramref name="cutoff"/> (kept as the baseline).</summary>
        public void DropBefore(DateTimeOffset cutoff)
        {
            if (Points.Count < 2 || Points[1].Ticks > cutoff.UtcTicks) return;
            var firstKept = LastAtOrBefore(Points, cutoff, Points.Count - 1);
            if (firstKept > 0) Points.RemoveRange(0, firstKept);
        }

        // The labels every gate query reads for every series of its ring, looked up once.
        public string? Store { get; } = labels.GetValueOrDefault("store");
        public string? Ring { get; } = labels.GetValueOrDefault(RingLabel);
        public string? App { get; } = labels.GetValueOrDefault("app");
        public string? Version { get; } = labels.GetValueOrDefault("version");
        public string? Code { get; } = labels.GetValueOrDefault("code");

        /// <summary>The value of label <paramref name="name"/>, or null.</summary>
        public string? Label(string name) => name switch
        {
            "store" => Store,
            RingLabel => Ring,
            _ => Labels.GetValueOrDefault(name),
        };

        /// <summary>A histogram bucket's upper bound (its <c>le</c> label), parsed once; null when it has none.</summary>
        public double? Bound { get; } = labels.TryGetValue("le", out var le) && TryParseBound(le, out var bound) ? bound : null;

        private static bool TryParseBound(string text, out double bound)
        {
            if (text is "+Inf" or "Inf") { bound = double.PositiveInfinity; return true; }
            return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out bound);
        }
    }
}
