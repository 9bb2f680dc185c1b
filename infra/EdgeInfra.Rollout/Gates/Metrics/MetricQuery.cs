namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>A quantity a metric gate reads from the stores' request metrics.</summary>
public enum MetricMeasure
{
    /// <summary>Requests without a 5xx code over all requests.</summary>
    SuccessRatio,

    /// <summary>Requests with a 5xx code over all requests (0 when none failed).</summary>
    ErrorRatio,

    /// <summary>The 99th percentile of <c>http_request_duration_seconds</c>, in seconds.</summary>
    LatencyP99,

    /// <summary>How many requests were served in the window (the minimum-volume guard).</summary>
    RequestCount,
}

/// <summary>Whether a reading has one value per store or one per ring.</summary>
public enum MetricGrouping
{
    Store,
    Ring,
}

/// <summary>One structured measurement: a quantity over a window for one ring's series, grouped per store or for the
/// whole ring, counting only the traffic of the release being judged.</summary>
/// <param name="Releases">App → version: only series of these app versions count (a store still serving the previous
/// release must not vouch for the new one); null or empty for every series of the ring.</param>
public sealed record MetricQuery(
    MetricMeasure Measure,
    string Ring,
    MetricGrouping Grouping,
    TimeSpan Window,
    IReadOnlyDictionary<string, string>? Releases = null)
{
    /// <summary>The (app, version) pairs a series must carry, in app order; empty for any.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; } =
        Releases is null ? [] : [.. Releases.OrderBy(r => r.Key, StringComparer.Ordinal)];
}

/// <summary>The values of one measurement, keyed by store id (or ring name), or why there are none.</summary>
/// <param name="Values">Group → value; a group without data is absent; NaN is kept as NaN for the gate to report.</param>
/// <param name="Error">Why the source could not answer (unreachable, bad query, unusable answer); null on success.</param>
public sealed record MetricReading(IReadOnlyDictionary<string, double> Values, string? Error)
{
    public static MetricReading Failed(string error) => new(new Dictionary<string, double>(), error);
}
