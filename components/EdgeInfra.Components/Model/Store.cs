using System.Collections.Immutable;

namespace EdgeInfra.Components.Model;

/// <summary>One store: its id (the Fleet cluster name and clientID) and its labels.</summary>
public sealed record Store(string Id, ImmutableSortedDictionary<string, string> Labels, SourceLocation Location)
{
    public string? Label(string key) => Labels.GetValueOrDefault(key);
    public string? Ring => Label(StoreLabels.RolloutRing);
    public string? Region => Label(StoreLabels.Region);
    public string? RegistryZone => Label(StoreLabels.RegistryZone);
}
