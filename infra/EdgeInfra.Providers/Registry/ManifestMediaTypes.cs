namespace EdgeInfra.Providers.Registry;

/// <summary>The manifest media types a mirror must serve byte for byte: OCI and Docker, single images and indexes.</summary>
public static class ManifestMediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Every type, sent in <c>Accept</c> on each manifest request: a registry asked without the stored type
    /// answers MANIFEST_UNKNOWN (OCI) or rewrites the manifest (Docker schema 2 → schema 1, list → one child), and a
    /// rewritten manifest has another digest.</summary>
    public static readonly IReadOnlyList<string> All = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;
}
