namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>One sample handed over in process with its series' key (unique among the source's series), so a scrape
/// neither prints nor parses text and the series is found without building its key from the labels.</summary>
public readonly record struct KeyedSample(string SeriesKey, string Name, IReadOnlyDictionary<string, string> Labels, double Value);
