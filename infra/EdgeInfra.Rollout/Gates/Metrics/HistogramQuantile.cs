namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>PromQL's <c>histogram_quantile</c> over classic cumulative buckets, computed the way Prometheus does.</summary>
public static class HistogramQuantile
{
    /// <summary>The φ-quantile of cumulative bucket counts (upper bound → count, one bound +Inf); NaN with no observations,
    /// no +Inf bucket or fewer than two buckets. A quantile in the +Inf bucket gives the second-highest bound.</summary>
    public static double Of(double q, IEnumerable<(double UpperBound, double Count)> buckets)
    {
        // A handful of buckets per store, at every gate evaluation of every store: sorted in place (stable, as OrderBy),
        // with nothing allocated.
        var count = buckets.TryGetNonEnumeratedCount(out var n) ? n : buckets.Count();
        Span<(double UpperBound, double Count)> sorted = count <= 64 ? stackalloc (double, double)[count] : new (double, double)[count];
        var filled = 0;
        foreach (var bucket in buckets)
        {
            var i = filled++;
            while (i > 0 && sorted[i - 1].UpperBound > bucket.UpperBound)
            {
                sorted[i] = sorted[i - 1];
                i--;
            }
            sorted[i] = bucket;
        }
        return Of(q, sorted);
    }

    private static double Of(double q, Span<(double UpperBound, double Count)> sorted)
    {
        if (double.IsNaN(q)) return double.NaN;
        if (q < 0) return double.NegativeInfinity;
        if (q > 1) return double.PositiveInfinity;
        if (sorted.Length < 2 || !double.IsPositiveInfinity(sorted[^1].UpperBound)) return double.NaN;
        // Rates of cumulative counters can come out slightly non-monotonic; Prometheus evens them out the same way.
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i].Count < sorted[i - 1].Count) sorted[i] = (sorted[i].UpperBound, sorted[i - 1].Count);
        var observations = sorted[^1].Count;
        if (observations <= 0 || double.IsNaN(observations)) return double.NaN;
        var rank = q * observations;
        var b = 0;
        while (b < sorted.Length && !(sorted[b].Count >= rank)) b++;
        if (b == sorted.Length) b = sorted.Length - 1;
        if (b == sorted.Length - 1) return sorted[^2].UpperBound;
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
