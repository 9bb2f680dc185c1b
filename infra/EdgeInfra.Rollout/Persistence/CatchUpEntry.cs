using EdgeInfra.Components.Model;

namespace EdgeInfra.Rollout.Persistence;

/// <summary>A store held back from a change its ring was applied with, until it catches up (<c>catchup.json</c>): it was
/// offline (or not on the hub yet), or online outside its maintenance window for a <c>next-window</c> change.</summary>
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

    /// <summary>Why it was held back when its ring was applied.</summary>
    public CatchUpCause Cause { get; init; } = CatchUpCause.Offline;
}

/// <summary>Why a store was held back from its ring's change.</summary>
public enum CatchUpCause
{
    /// <summary>Offline, or not on the hub yet, when its ring was applied.</summary>
    Offline,

    /// <summary>Online, but a <c>next-window</c> change may reach it only inside its maintenance window, and at most the
    /// ring's <c>maxUnavailable</c> at once.</summary>
    Window,
}
