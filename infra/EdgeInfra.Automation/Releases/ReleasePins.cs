namespace EdgeInfra.Automation.Releases;

/// <summary>One app image pinned to a digest.</summary>
/// <param name="Image">The tag reference that was pinned, e.g. <c>registry.example.com/edge/pos-app:2.4.1</c>.</param>
/// <param name="Source">Where the digest came from: <c>registry</c>, <c>lab registry</c> or <c>state</c>.</param>
public sealed record PinnedImage(string App, string Version, string Image, string Digest, string Source);

/// <summary>A release tag that resolves to other bytes than when a ring was last applied at it: the tag was moved in
/// the registry after that apply.</summary>
/// <param name="RecordedDigest">The digest the rings in <paramref name="Rings"/> recorded at their last apply.</param>
/// <param name="Digest">What the tag resolves to now (what an apply would pin).</param>
public sealed record MovedTag(string App, string Version, string Image, string RecordedDigest, string Digest, IReadOnlyList<string> Rings)
{
    public override string ToString() =>
        $"{Image} moved: {RecordedDigest} when ring {string.Join(", ", Rings)} was applied, now {Digest}";
}

/// <summary>The digests a verb renders the release with, and the tags that moved since they were last applied.</summary>
public sealed record ReleasePins(IReadOnlyList<PinnedImage> Images, IReadOnlyList<MovedTag> Moved)
{
    public static ReleasePins None { get; } = new([], []);

    /// <summary>App → pinned digest.</summary>
    public IReadOnlyDictionary<string, string> Digests => Images.ToDictionary(i => i.App, i => i.Digest, StringComparer.Ordinal);
}

/// <summary>The release's images could not be pinned (a registry unreachable, a tag missing, <c>--offline</c> without a
/// recorded digest): nothing is rendered or applied. Every problem is listed.</summary>
public sealed class ReleasePinException(IReadOnlyList<string> problems)
    : Exception("cannot pin the release's images to digests:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
