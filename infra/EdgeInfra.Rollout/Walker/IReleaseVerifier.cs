namespace EdgeInfra.Rollout.Walker;

/// <summary>Checks, before a ring is applied, that the release it will run is the software that was built: each pinned
/// image digest signed by its app's key (<c>edge-infra:release.verify</c>).</summary>
public interface IReleaseVerifier
{
    /// <summary>Verifies the release <paramref name="ring"/> is about to be applied at.</summary>
    Task<ReleaseVerdict> VerifyAsync(string ring, CancellationToken cancellationToken);
}

/// <summary>What a release's signature check found.</summary>
/// <param name="Reason">Why the ring must not be applied (unsigned, signed by another key, a registry unreachable), or
/// what was verified.</param>
/// <param name="Checks">App → what its check found, for the audit record.</param>
public sealed record ReleaseVerdict(bool Verified, string Reason, IReadOnlyDictionary<string, string> Checks);
