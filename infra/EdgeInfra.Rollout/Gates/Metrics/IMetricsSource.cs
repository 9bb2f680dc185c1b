namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>Where metric gates read the stores' request metrics from: a real Prometheus, or the lab's own scrape of the
/// simulator's exposition.</summary>
/// <remarks>
/// A source never throws for a server it cannot reach or an answer it cannot use: it returns a reading with
/// <see cref="MetricReading.Error"/> set, which the gate turns into Inconclusive. Each source reads at its own clock's now.
/// </remarks>
public interface IMetricsSource
{
    /// <summary>What the source is, for reasons and status (<c>prometheus http://…</c>, <c>lab simulator metrics</c>).</summary>
    string Description { get; }

    /// <summary>Measures one structured quantity over the window, grouped per store or per ring.</summary>
    Task<MetricReading> MeasureAsync(MetricQuery query, CancellationToken cancellationToken);

    /// <summary>Evaluates a raw PromQL expression at now; a source that cannot run PromQL says so in the error.</summary>
    Task<MetricReading> QueryAsync(string promQl, CancellationToken cancellationToken);
}
