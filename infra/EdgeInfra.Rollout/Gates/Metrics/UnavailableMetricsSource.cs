namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>The metrics source of a stack that has none configured: every reading says why, so metric gates hold the
/// ring as Inconclusive instead of promoting without data.</summary>
public sealed class UnavailableMetricsSource(string reason) : IMetricsSource
{
    public string Description => "no metrics source";

    public Task<MetricReading> MeasureAsync(MetricQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(MetricReading.Failed(reason));

    public Task<MetricReading> QueryAsync(string promQl, CancellationToken cancellationToken) =>
        Task.FromResult(MetricReading.Failed(reason));
}
