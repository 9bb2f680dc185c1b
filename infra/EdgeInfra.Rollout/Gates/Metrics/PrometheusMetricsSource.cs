using EdgeInfra.Providers.Prometheus;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>Metrics from a real Prometheus: structured measurements compiled to PromQL, raw PromQL passed through.</summary>
public sealed class PrometheusMetricsSource(PrometheusClient client) : IMetricsSource, IDisposable
{
    public string Description => $"prometheus {client.BaseUrl.GetLeftPart(UriPartial.Authority)}";

    public Task<MetricReading> MeasureAsync(MetricQuery query, CancellationToken cancellationToken) =>
        RunAsync(PromQlCompiler.Compile(query), query.Grouping == MetricGrouping.Store ? "store" : "ring", cancellationToken);

    /// <summary>Values are keyed by the result's <c>store</c> label, else its <c>ring</c> label, else the empty string.</summary>
    public Task<MetricReading> QueryAsync(string promQl, CancellationToken cancellationToken) => RunAsync(promQl, null, cancellationToken);

    private async Task<MetricReading> RunAsync(string promQl, string? groupLabel, CancellationToken cancellationToken)
    {
        PromQueryResult result;
        try
        {
            result = await client.QueryAsync(promQl, null, cancellationToken).ConfigureAwait(false);
        }
        catch (PrometheusException e)
        {
            return MetricReading.Failed(e.Message);
        }
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sample in result.Samples)
        {
            var key = groupLabel is not null ? sample.Label(groupLabel) : sample.Label("store") ?? sample.Label("ring") ?? "";
            if (key is not null) values[key] = sample.Value;
        }
        return new MetricReading(values, null);
    }

    public void Dispose() => client.Dispose();
}
