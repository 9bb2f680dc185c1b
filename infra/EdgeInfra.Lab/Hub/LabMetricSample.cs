namespace EdgeInfra.Lab.Hub;

/// <summary>One sample of the lab's app metrics: its series and value, as a line of <c>/metrics</c> would carry them.</summary>
public readonly record struct LabMetricSample(MetricSeries Series, double Value);

/// <summary>One metric series of the lab: its name, labels and a key unique among the lab's series (the exposition
/// line's name and labels).</summary>
public sealed record MetricSeries(string Key, string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>What identifies a store's app series: the store, the ring it was deployed from, the app and its version.</summary>
internal sealed record StoreSeries(string Store, string Ring, string App, string Version);
