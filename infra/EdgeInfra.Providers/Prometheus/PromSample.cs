namespace EdgeInfra.Providers.Prometheus;

/// <summary>One element of an instant query result: its labels, its value (NaN and ±Inf kept) and its time.</summary>
public sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value, DateTimeOffset Timestamp)
{
    public string? Label(string name) => Labels.GetValueOrDefault(name);
}

/// <summary>An instant query's answer: a vector (zero or more samples) or a scalar (one sample without labels).</summary>
/// <param name="ResultType"><c>vector</c> or <c>scalar</c>.</param>
/// <param name="Warnings">Warnings Prometheus attached to the answer.</param>
public sealed record PromQueryResult(string ResultType, IReadOnlyList<PromSample> Samples, IReadOnlyList<string> Warnings);
