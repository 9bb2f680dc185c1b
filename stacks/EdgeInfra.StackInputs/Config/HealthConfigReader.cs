using System.Globalization;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:health</c>: the Prometheus URL and the metric gates, structured or raw PromQL.</summary>
public static class HealthConfigReader
{
    private static readonly string[] Known = ["prometheus", "window", "minRequests", "timeout", "gates"];
    private static readonly string[] GateKnown = ["name", "metric", "threshold", "op", "scope", "window", "minRequests", "app", "query"];

    /// <summary>Reads and checks the stack's health config; throws <see cref="FleetModelException"/> listing every problem.</summary>
    public static HealthSettings Load(IStackConfig config)
    {
        var problems = new List<string>();
        var settings = Read(config.Get(FleetConfigKeys.Health), new ConfigReader(problems));
        if (problems.Count > 0) throw new FleetModelException(problems);
        return settings;
    }

    internal static HealthSettings Read(ConfigEntry? entry, ConfigReader reader)
    {
        var defaults = MetricGateSpec.Defaults(MetricGateSpec.DefaultWindow, MetricGateSpec.DefaultMinRequests);
        if (entry is null) return new HealthSettings(null, defaults, HealthSettings.DefaultRequestTimeout);
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Health);
        var f = reader.Fields(root, Known);

        Uri? prometheus = null;
        if (reader.String(f, "prometheus", root) is { Length: > 0 } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") prometheus = uri;
            else reader.Problem(f["prometheus"], $"'{url}' must be an http(s) URL");
        }
        var window = PositiveDuration(reader, f, "window", root) ?? MetricGateSpec.DefaultWindow;
        var minRequests = NonNegative(reader, f, "minRequests", root) ?? MetricGateSpec.DefaultMinRequests;
        var timeout = PositiveDuration(reader, f, "timeout", root) ?? HealthSettings.DefaultRequestTimeout;

        if (!f.TryGetValue("gates", out var gatesNode) || ConfigReader.IsNull(gatesNode.Node))
            return new HealthSettings(prometheus, MetricGateSpec.Defaults(window, minRequests), timeout);

        var gates = new List<MetricGateSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in reader.Sequence(gatesNode))
        {
            if (ReadGate(item, reader, window, minRequests, prometheus is not null) is not { } gate) continue;
            if (!names.Add(gate.Name)) reader.Problem(item, $"gate '{gate.Name}' is declared twice");
            gates.Add(gate);
        }
        return new HealthSettings(prometheus, gates, timeout);
    }

    private static MetricGateSpec? ReadGate(ConfigNode item, ConfigReader reader, TimeSpan window, double minRequests, bool hasPrometheus)
    {
        var g = reader.Fields(item, GateKnown);
        var query = reader.String(g, "query", item);
        var metricText = reader.String(g, "metric", item) ?? (query is not null ? "promql" : null);
        MetricKind? kind = metricText switch
        {
            null => null,
            "success-rate" => MetricKind.SuccessRate,
            "error-rate" => MetricKind.ErrorRate,
            "latency-p99" => MetricKind.LatencyP99,
            "promql" => MetricKind.PromQl,
            _ => null,
        };
        if (metricText is null) reader.Problem(item, "'metric' is required (success-rate, error-rate, latency-p99 or promql)");
        else if (kind is null) reader.Problem(g["metric"], $"unknown metric '{metricText}' (known: success-rate, error-rate, latency-p99, promql)");
        var name = reader.String(g, "name", item) ?? metricText ?? "";

        if (kind == MetricKind.PromQl)
        {
            if (string.IsNullOrWhiteSpace(query)) reader.Problem(item, $"gate '{name}': a promql gate needs a 'query'");
            if (!hasPrometheus) reader.Problem(item, $"gate '{name}': a promql gate needs edge-infra:health.prometheus (the lab evaluates structured gates only)");
        }
        else if (query is not null) reader.Problem(g["query"], $"gate '{name}': 'query' is only for metric: promql");

        var comparison = kind is { } k ? MetricGateSpec.ComparisonOf(k) : MetricComparison.AtMost;
        if (reader.String(g, "op", item) is { } op)
        {
            if (kind != MetricKind.PromQl) reader.Problem(g["op"], $"gate '{name}': 'op' is only for metric: promql (structured metrics imply it)");
            else if (op is ">=" or "min") comparison = MetricComparison.AtLeast;
            else if (op is "<=" or "max") comparison = MetricComparison.AtMost;
            else reader.Problem(g["op"], $"gate '{name}': op '{op}' must be >= or <=");
        }
        else if (kind == MetricKind.PromQl) reader.Problem(item, $"gate '{name}': a promql gate needs 'op' (>= or <=)");

        var scopeText = reader.String(g, "scope", item);
        MetricScope? scope = scopeText switch
        {
            null or "both" => MetricScope.Both,
            "store" => MetricScope.Store,
            "ring" => MetricScope.Ring,
            _ => null,
        };
        if (scope is null) reader.Problem(g["scope"], $"gate '{name}': scope '{scopeText}' must be store, ring or both");

        var threshold = Threshold(reader, g, item, kind, name);
        var gateWindow = PositiveDuration(reader, g, "window", item) ?? window;
        var gateMin = NonNegative(reader, g, "minRequests", item) ?? minRequests;
        if (kind is null || threshold is null || scope is null) return null;
        return new MetricGateSpec(name, kind.Value, threshold.Value, comparison, scope.Value, gateWindow, gateMin,
            reader.String(g, "app", item), query);
    }

    /// <summary>Rates take a ratio or a percentage (<c>0.99</c>, <c>99%</c>); latency takes seconds or milliseconds
    /// (<c>0.5</c>, <c>500ms</c>, <c>0.5s</c>); a structured gate without one takes the field's default.</summary>
    private static double? Threshold(ConfigReader reader, Dictionary<string, ConfigNode> g, ConfigNode item, MetricKind? kind, string name)
    {
        var text = reader.String(g, "threshold", item);
        if (text is null)
        {
            if (kind == MetricKind.PromQl) reader.Problem(item, $"gate '{name}': a promql gate needs a 'threshold'");
            return kind switch
            {
                MetricKind.SuccessRate => 0.99,
                MetricKind.ErrorRate => 0.01,
                MetricKind.LatencyP99 => 0.5,
                _ => null,
            };
        }
        var t = text.Trim();
        double scale = 1;
        if (kind is MetricKind.SuccessRate or MetricKind.ErrorRate && t.EndsWith('%')) { t = t[..^1]; scale = 0.01; }
        else if (kind is MetricKind.LatencyP99 && t.EndsWith("ms", StringComparison.Ordinal)) { t = t[..^2]; scale = 0.001; }
        else if (kind is MetricKind.LatencyP99 && t.EndsWith('s')) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            reader.Problem(g["threshold"], $"gate '{name}': threshold '{text}' is not a number");
            return null;
        }
        value *= scale;
        if (kind is MetricKind.SuccessRate or MetricKind.ErrorRate && value is < 0 or > 1)
            reader.Problem(g["threshold"], $"gate '{name}': threshold '{text}' must be a ratio between 0 and 1 (or 0% to 100%)");
        if (kind is MetricKind.LatencyP99 && value <= 0)
            reader.Problem(g["threshold"], $"gate '{name}': threshold '{text}' must be above 0");
        return value;
    }

    private static TimeSpan? PositiveDuration(ConfigReader reader, Dictionary<string, ConfigNode> f, string field, ConfigNode owner)
    {
        var d = reader.Duration(f, field, owner);
        if (d is { } v && v <= TimeSpan.Zero) reader.Problem(f[field], "must be above 0");
        return d;
    }

    private static double? NonNegative(ConfigReader reader, Dictionary<string, ConfigNode> f, string field, ConfigNode owner)
    {
        var n = reader.Number(f, field, owner);
        if (n is < 0) reader.Problem(f[field], "must not be negative");
        return n;
    }
}
