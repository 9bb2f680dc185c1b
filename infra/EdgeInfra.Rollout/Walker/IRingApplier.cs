using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Rollout.Walker;

/// <summary>Applies ring stacks to the fleet repo for the rollout host, through the same engine as <c>edgeinfra up</c>.</summary>
/// <remarks>Every call is idempotent: applying a ring that is already at the desired state makes no commit, so the
/// walker can repeat an action it may or may not have finished before a crash.</remarks>
public interface IRingApplier
{
    /// <summary>Applies the ring at the stack's configured release (one fleet-repo commit, or none when nothing changed).</summary>
    /// <param name="paused">The stores whose Cluster is rendered paused (awaiting catch-up), as the walker just recorded them.</param>
    Task<RingApplyResult> ApplyAsync(string ring, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken);

    /// <summary>Re-applies the ring at the release it was last applied at (the versions and image digests its stack
    /// recorded), with <paramref name="paused"/> as its stores' pauses: releasing or pausing stores (catch-up, maintenance
    /// windows) never changes what the ring runs, whatever the stack's config says now or a registry's tag points at.</summary>
    /// <returns>A failure when the ring was never applied.</returns>
    Task<RingApplyResult> ReleaseAsync(string ring, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken);

    /// <summary>Re-applies the desired state recorded at history version <paramref name="version"/> of the ring stack,
    /// with today's pauses: a rollback unpauses no one.</summary>
    Task<RingApplyResult> RestoreAsync(string ring, int version, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken);

    /// <summary>The newest recorded update of the ring stack that <paramref name="accept"/> takes, searching from the
    /// newest back; null when none does.</summary>
    Task<RingVersion?> FindVersionAsync(string ring, Func<RingVersion, bool> accept, CancellationToken cancellationToken);
}

/// <summary>The outcome of applying a ring.</summary>
/// <param name="Version">The history version the engine recorded for the run.</param>
/// <param name="Revision">The fleet-repo commit the ring's files are at after the run (its own commit, or the earlier
/// one when nothing changed); null when the ring was never committed.</param>
/// <param name="Error">Why the run failed; null on success.</param>
public sealed record RingApplyResult(bool Succeeded, int? Version, string? Revision, string? Error)
{
    /// <summary>App → the image digest the applied release is pinned to; empty when its images are not pinned.</summary>
    public IReadOnlyDictionary<string, string> Digests { get; init; } = new Dictionary<string, string>();

    public static RingApplyResult Failed(string error) => new(false, null, null, error);
}
