using System.Text.Json.Serialization;

namespace EdgeInfra.Providers.Hub;

/// <summary>A Fleet <c>GitRepo</c>: the fleet-repo commit Fleet last read for a ring.</summary>
public sealed class HubGitRepo
{
    [JsonPropertyName("metadata")] public HubObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HubGitRepoSpec? Spec { get; set; }
    [JsonPropertyName("status")] public HubGitRepoStatus? Status { get; set; }
}

public sealed class HubGitRepoSpec
{
    [JsonPropertyName("revision")] public string? Revision { get; set; }
    [JsonPropertyName("paused")] public bool? Paused { get; set; }
}

public sealed class HubGitRepoStatus
{
    [JsonPropertyName("commit")] public string? Commit { get; set; }
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("gitJobStatus")] public string? GitJobStatus { get; set; }
}
