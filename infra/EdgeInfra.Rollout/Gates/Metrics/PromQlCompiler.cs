using System.Globalization;

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
        var total = $"sum by ({by}) ({Rates("rate", RequestsTotal, query, "", w)})";
        return query.Measure switch
        {
            MetricMeasure.SuccessRatio =>
                $"(sum by ({by}) ({Rates("rate", RequestsTotal, query, ",code!~\"5..\"", w)}) or 0 * {total}) / {total}",
            MetricMeasure.ErrorRatio =>
                $"(sum by ({by}) ({Rates("rate", RequestsTotal, query, ",code=~\"5..\"", w)}) or 0 * {total}) / {total}",
            MetricMeasure.LatencyP99 =>
                $"histogram_quantile(0.99, sum by (le, {by}) ({Rates("rate", DurationBucket, query, "", w)}))",
            MetricMeasure.RequestCount =>
                $"sum by ({by}) ({Rates("increase", RequestsTotal, query, "", w)})",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Measure, null),
        };
    }

    /// <summary><c>rate(metric{…}[w])</c> over the query's series: one selector per released app version, joined with
    /// <c>or</c> (their app labels differ, so the union keeps every series once).</summary>
    private static string Rates(string function, string metric, MetricQuery query, string extra, string window)
    {
        if (query.Pairs.Count == 0) return $"{function}({metric}{{ring={Quote(query.Ring)}{extra}}}[{window}])";
        var parts = query.Pairs.Select(p =>
            $"{function}({metric}{{ring={Quote(query.Ring)},app={Quote(p.Key)},version={Quote(p.Value)}{extra}}}[{window}])");
        return query.Pairs.Count == 1 ? parts.Single() : "(" + string.Join(" or ", parts) + ")";
    }

    /// <summary>A PromQL range in whole seconds (<c>300s</c>); at least one second.</summary>
    public static string Range(TimeSpan window) =>
        Math.Max(1, (long)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>A PromQL double-quoted string literal.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
