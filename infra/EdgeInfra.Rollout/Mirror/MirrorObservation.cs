namespace EdgeInfra.Rollout.Mirror;

/// <summary>Whether a zone's mirror serves a release image, as one check found it.</summary>
public enum MirrorState
{
    /// <summary>The mirror serves the release tag at the upstream's digest.</summary>
    Serves,

    /// <summary>The mirror lacks the image, or serves the tag at another digest: <c>mirror warm</c> fixes it.</summary>
    Missing,

    /// <summary>The mirror did not answer (or refused the credentials).</summary>
    MirrorUnreachable,

    /// <summary>The upstream did not answer, so the release's digest is not known.</summary>
    UpstreamUnreachable,

    /// <summary>The upstream has no such tag: the release names an image that does not exist.</summary>
    UpstreamMissing,
}

/// <summary>What one check found for one zone × image.</summary>
/// <param name="Digest">The release digest at the upstream, when known.</param>
/// <param name="MirrorDigest">What the mirror serves the tag at, when it serves it at all.</param>
/// <param name="Detail">Why, for every state but <see cref="MirrorState.Serves"/> (the registry's answer; never a credential).</param>
public sealed record MirrorObservation(MirrorTarget Target, MirrorState State, string? Digest, string? MirrorDigest, string? Detail);
