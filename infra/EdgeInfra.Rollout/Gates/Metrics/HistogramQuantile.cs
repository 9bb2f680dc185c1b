namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>PromQL's <c>histogram_quantile</c> over classic cumulative buckets, computed the way Prometheus does.</summary>
public static class HistogramQuantile
{
    /// <summary>The φ-quantile of cumulative bucket counts (upper bound → count, one bound +Inf); NaN with no observations,
    /// no +Inf bucket or fewer than two buckets. A quantile in the +Inf bucket gives the second-highest bound.</summary>
    public static double Of(double q, IEnumerable<(double UpperBound, double Count)> buckets)
    {
        var sorted = buckets.OrderBy(b => b.UpperBound).ToList();
        if (double.IsNaN(q)) return double.NaN;
        if (q < 0) return double.NegativeInfinity;
        if (q > 1) return double.PositiveInfinity;
        if (sorted.Count < 2 || !double.IsPositiveInfinity(sorted[^1].UpperBound)) return double.NaN;
        // Rates of cumulative counters can come out slightly non-monotonic; Prometheus evens them out the same way.
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i].Count < sorted[i - 1].Count) sorted[i] = (sorted[i].UpperBound, sorted[i - 1].Count);
        var observations = sorted[^1].Count;
        if (observations <= 0 || double.IsNaN(observations)) return double.NaN;
        var rank = q * observations;
        var b = sorted.FindIndex(x => x.Count >= rank);
        if (b < 0) b = sorted.Count - 1;
        if (b == sorted.Count - 1) return sorted[^2].UpperBound;
        if (b == 0 && sorted[0].UpperBound <= 0) return sorted[0].UpperBound;
        var bucketStart = 0.0;
        var bucketEnd = sorted[b].UpperBound;
        var count = sorted[b].Count;
        if (b > 0)
        {
            bucketStart = sorted[b - 1].UpperBound;
            count -= sorted[b - 1].Count;
            rank -= sorted[b - 1].Count;
        }
        return count <= 0 ? bucketStart : bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }
}
