using System.Text.Json.Serialization;

namespace EdgeInfra.Providers.Hub;

/// <summary>The Kubernetes object metadata fields the rollout host reads from Fleet objects.</summary>
public sealed class HubObjectMeta
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("generation")] public long? Generation { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("creationTimestamp")] public string? CreationTimestamp { get; set; }

    public string? Label(string key) => Labels?.GetValueOrDefault(key);
}

/// <summary>A Kubernetes list's metadata: the resource version and the continue token of the next page.</summary>
public sealed class HubListMeta
{
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("continue")] public string? Continue { get; set; }
}

/// <summary>One page of a Kubernetes list (<c>&lt;Kind&gt;List</c>).</summary>
public sealed class HubList<T>
{
    [JsonPropertyName("metadata")] public HubListMeta? Metadata { get; set; }
    [JsonPropertyName("items")] public List<T>? Items { get; set; }
}

/// <summary>A Kubernetes status condition (<c>type</c>, <c>status</c>, times, reason, message).</summary>
public sealed class HubCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("lastUpdateTime")] public string? LastUpdateTime { get; set; }
    [JsonPropertyName("lastTransitionTime")] public string? LastTransitionTime { get; set; }
}
