using System.Text.Json.Serialization;

namespace EdgeInfra.Providers.Hub;

/// <summary>A Fleet <c>BundleDeployment</c>: one bundle on one cluster, with its staged, current and applied
/// deployment IDs, readiness and drift.</summary>
public sealed class HubBundleDeployment
{
    [JsonPropertyName("metadata")] public HubObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HubBundleDeploymentSpec? Spec { get; set; }
    [JsonPropertyName("status")] public HubBundleDeploymentStatus? Status { get; set; }
}

public sealed class HubBundleDeploymentSpec
{
    [JsonPropertyName("stagedDeploymentID")] public string? StagedDeploymentId { get; set; }
    [JsonPropertyName("deploymentID")] public string? DeploymentId { get; set; }
    [JsonPropertyName("paused")] public bool? Paused { get; set; }
    [JsonPropertyName("offSchedule")] public bool? OffSchedule { get; set; }
}

public sealed class HubBundleDeploymentStatus
{
    [JsonPropertyName("appliedDeploymentID")] public string? AppliedDeploymentId { get; set; }
    [JsonPropertyName("ready")] public bool? Ready { get; set; }
    [JsonPropertyName("nonModified")] public bool? NonModified { get; set; }
    [JsonPropertyName("conditions")] public List<HubCondition>? Conditions { get; set; }
    [JsonPropertyName("display")] public HubBundleDeploymentDisplay? Display { get; set; }

    public HubCondition? Condition(string type) => Conditions?.FirstOrDefault(c => c.Type == type);
}

public sealed class HubBundleDeploymentDisplay
{
    [JsonPropertyName("state")] public string? State { get; set; }
    [JsonPropertyName("deployed")] public string? Deployed { get; set; }
    [JsonPropertyName("monitored")] public string? Monitored { get; set; }
}
