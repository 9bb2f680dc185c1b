using System.Text.Json.Serialization;

namespace EdgeInfra.Providers.Hub;

/// <summary>A Fleet <c>Cluster</c> (one store), with the fields the rollout host reads: labels, paused, the namespace of
/// its BundleDeployments and the agent's last check-in.</summary>
public sealed class HubCluster
{
    [JsonPropertyName("metadata")] public HubObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HubClusterSpec? Spec { get; set; }
    [JsonPropertyName("status")] public HubClusterStatus? Status { get; set; }
}

public sealed class HubClusterSpec
{
    [JsonPropertyName("paused")] public bool? Paused { get; set; }
    [JsonPropertyName("clientID")] public string? ClientId { get; set; }
}

public sealed class HubClusterStatus
{
    /// <summary>The cluster namespace that holds its BundleDeployments.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("agent")] public HubAgentStatus? Agent { get; set; }
}

public sealed class HubAgentStatus
{
    /// <summary>RFC3339 time of the agent's last check-in: Fleet's only liveness signal.</summary>
    [JsonPropertyName("lastSeen")] public string? LastSeen { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}
