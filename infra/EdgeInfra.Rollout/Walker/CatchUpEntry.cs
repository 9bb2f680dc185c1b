using EdgeInfra.Components.Model;

namespace EdgeInfra.Rollout.Walker;

/// <summary>A store that was offline when its ring was applied and has not caught up yet (<c>catchup.json</c>).</summary>
/// <param name="Release">The release it awaits.</param>
/// <param name="Revision">The fleet-repo commit its ring was applied at.</param>
/// <param name="Paused">True while its Cluster is rendered with <c>spec.paused</c>.</param>
public sealed record CatchUpEntry(
    string Store,
    string Ring,
    ChangeClass Class,
    string Release,
    string? Revision,
    DateTimeOffset Since,
    bool Paused)
{
    /// <summary>When the store was first seen online again.</summary>
    public DateTimeOffset? ReturnedAt { get; init; }

    public string? ApprovedBy { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>When it was unpaused (the release commit went out).</summary>
    public DateTimeOffset? ReleasedAt { get; init; }
    public string? ReleaseRevision { get; init; }

    public bool Approved => ApprovedAt is not null;
}
