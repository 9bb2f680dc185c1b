using System.Globalization;
using System.Text;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>Compiles a structured <see cref="MetricQuery"/> into the PromQL of k3s-edge.md §7 over the metrics contract
/// (<c>http_requests_total</c>, <c>http_request_duration_seconds_bucket</c>, labels store, ring, app, version, code).</summary>
/// <remarks>Ratios are zero-filled (<c>or 0 * total</c>) so a store whose requests all failed, or none did, still
/// appears; a store with no requests at all is absent (0/0 would be NaN), which the gate reports as no data.
/// Always rate first, then aggregate.</remarks>
public static class PromQlCompiler
{
    public const string RequestsTotal = "http_requests_total";
    public const string DurationBucket = "http_request_duration_seconds_bucket";

    public static string Compile(MetricQuery query)
    {
        var by = query.Grouping == MetricGrouping.Store ? "store" : "ring";
        var w = Range(query.Window);
        var sel = Selector(query);
        var total = $"sum by ({by}) (rate({RequestsTotal}{{{sel}}}[{w}]))";
        return query.Measure switch
        {
            MetricMeasure.SuccessRatio =>
                $"(sum by ({by}) (rate({RequestsTotal}{{{sel},code!~\"5..\"}}[{w}])) or 0 * {total}) / {total}",
            MetricMeasure.ErrorRatio =>
                $"(sum by ({by}) (rate({RequestsTotal}{{{sel},code=~\"5..\"}}[{w}])) or 0 * {total}) / {total}",
            MetricMeasure.LatencyP99 =>
                $"histogram_quantile(0.99, sum by (le, {by}) (rate({DurationBucket}{{{sel}}}[{w}])))",
            MetricMeasure.RequestCount =>
                $"sum by ({by}) (increase({RequestsTotal}{{{sel}}}[{w}]))",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Measure, null),
        };
    }

    /// <summary>The label matchers of the query's ring, app and version.</summary>
    public static string Selector(MetricQuery query)
    {
        var sb = new StringBuilder();
        sb.Append("ring=").Append(Quote(query.Ring));
        if (query.App is { } app) sb.Append(",app=").Append(Quote(app));
        if (query.Version is { } version) sb.Append(",version=").Append(Quote(version));
        return sb.ToString();
    }

    /// <summary>A PromQL range in whole seconds (<c>300s</c>); at least one second.</summary>
    public static string Range(TimeSpan window) =>
        Math.Max(1, (long)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>A PromQL double-quoted string literal.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
