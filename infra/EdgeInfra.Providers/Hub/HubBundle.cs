using System.Text.Json.Serialization;

namespace EdgeInfra.Providers.Hub;

/// <summary>A Fleet <c>Bundle</c>: which GitRepo and commit it came from and its rollout summary.</summary>
public sealed class HubBundle
{
    [JsonPropertyName("metadata")] public HubObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HubBundleSpec? Spec { get; set; }
    [JsonPropertyName("status")] public HubBundleStatus? Status { get; set; }
}

public sealed class HubBundleSpec
{
    [JsonPropertyName("paused")] public bool? Paused { get; set; }
}

public sealed class HubBundleStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("summary")] public HubBundleSummary? Summary { get; set; }
    [JsonPropertyName("unavailable")] public int? Unavailable { get; set; }
    [JsonPropertyName("maxUnavailable")] public int? MaxUnavailable { get; set; }
}

/// <summary>Fleet's BundleSummary counters (absent means 0).</summary>
public sealed class HubBundleSummary
{
    [JsonPropertyName("ready")] public int Ready { get; set; }
    [JsonPropertyName("desiredReady")] public int DesiredReady { get; set; }
    [JsonPropertyName("errApplied")] public int? ErrApplied { get; set; }
    [JsonPropertyName("modified")] public int? Modified { get; set; }
    [JsonPropertyName("waitApplied")] public int? WaitApplied { get; set; }
    [JsonPropertyName("pending")] public int? Pending { get; set; }
}
