using EdgeInfra.Components.Model;

namespace EdgeInfra.Rollout.Persistence;

/// <summary>A store held back from a change its ring was applied with, until it catches up (<c>catchup.json</c>): it was
/// offline, not registered with the hub yet, or online outside its maintenance window for a <c>next-window</c> change.</summary>
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
    /// <summary>Offline when its ring was applied (its agent had checked in before), or not registered and its agent did not
    /// check in within its offline threshold: it catches up by its class when it is back.</summary>
    Offline,

    /// <summary>Online, but a <c>next-window</c> change may reach it only inside its maintenance window, and at most the
    /// ring's <c>maxUnavailable</c> at once.</summary>
    Window,

    /// <summary>Not registered with the hub when its ring was applied: no Cluster yet (a fleet's first rollout creates it in
    /// the ring's own commit), or a Cluster its agent has never checked in to. Its Cluster is created (or kept) paused, so
    /// the agent finds nothing to apply when it registers. An agent that checks in while the ring is still being walked
    /// joins the ring's delivery as an online store would have (released at once, or held for its window); one that
    /// stays silent past its offline threshold becomes <see cref="Offline"/>.</summary>
    Unregistered,
}
