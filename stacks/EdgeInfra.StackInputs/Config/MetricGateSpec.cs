namespace EdgeInfra.StackInputs.Config;

/// <summary>What a metric gate measures.</summary>
public enum MetricKind
{
    /// <summary>Share of requests answered without a 5xx code (gate: at least the threshold).</summary>
    SuccessRate,

    /// <summary>Share of requests answered with a 5xx code (gate: at most the threshold).</summary>
    ErrorRate,

    /// <summary>The 99th percentile request duration in seconds (gate: at most the threshold).</summary>
    LatencyP99,

    /// <summary>A raw PromQL expression compared with the threshold (Prometheus only).</summary>
    PromQl,
}

/// <summary>Whether a metric gate judges each store, the ring as a whole, or both.</summary>
public enum MetricScope
{
    Both,
    Store,
    Ring,
}

/// <summary>How a raw PromQL gate's value compares with its threshold to pass.</summary>
public enum MetricComparison
{
    AtLeast,
    AtMost,
}

/// <summary>One metric health gate as configured under <c>edge-infra:health.gates</c>.</summary>
/// <param name="Name">The gate's name in timelines and the audit log (shown as <c>metrics:&lt;name&gt;</c>).</param>
/// <param name="Threshold">A ratio (0.99) for rates, seconds for latency, the raw value for PromQL.</param>
/// <param name="Window">The rate window (PromQL range), e.g. 5m.</param>
/// <param name="MinRequests">Fewer requests than this in the window are too few to judge (per store, and per ring).</param>
/// <param name="App">Only this app's series (and, when the ring rolls it out, only its new version); null means all apps.</param>
/// <param name="Query">The PromQL expression of a <see cref="MetricKind.PromQl"/> gate; its result's <c>store</c>
/// label, when present, names the store each value belongs to.</param>
public sealed record MetricGateSpec(
    string Name,
    MetricKind Kind,
    double Threshold,
    MetricComparison Comparison,
    MetricScope Scope,
    TimeSpan Window,
    double MinRequests,
    string? App = null,
    string? Query = null)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);
    public const double DefaultMinRequests = 100;

    /// <summary>The field's defaults (ARCHITECTURE.md §7): success rate ≥ 99 %, error rate ≤ 1 %, p99 ≤ 500 ms.</summary>
    public static IReadOnlyList<MetricGateSpec> Defaults(TimeSpan window, double minRequests) =>
    [
        new("success-rate", MetricKind.SuccessRate, 0.99, MetricComparison.AtLeast, MetricScope.Both, window, minRequests),
        new("error-rate", MetricKind.ErrorRate, 0.01, MetricComparison.AtMost, MetricScope.Both, window, minRequests),
        new("latency-p99", MetricKind.LatencyP99, 0.5, MetricComparison.AtMost, MetricScope.Both, window, minRequests),
    ];

    /// <summary>The comparison each structured kind implies.</summary>
    public static MetricComparison ComparisonOf(MetricKind kind) =>
        kind == MetricKind.SuccessRate ? MetricComparison.AtLeast : MetricComparison.AtMost;

    public bool Passes(double value) => Comparison == MetricComparison.AtLeast ? value >= Threshold : value <= Threshold;
}
