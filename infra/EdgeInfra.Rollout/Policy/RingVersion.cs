namespace EdgeInfra.Rollout.Policy;

/// <summary>One recorded update of a ring stack.</summary>
/// <param name="Releases">The release the update applied (empty when it recorded no desired state).</param>
/// <param name="Succeeded">True when the update finished successfully; false when it failed or never finished.</param>
public sealed record RingVersion(int Version, bool Succeeded, ReleaseSet Releases, string? Revision);
