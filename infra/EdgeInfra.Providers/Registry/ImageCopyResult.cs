namespace EdgeInfra.Providers.Registry;

/// <summary>What copying one image into one registry did.</summary>
/// <param name="Digest">The digest of the image's top manifest (an index for multi-platform images).</param>
/// <param name="AlreadyPresent">The target served the reference at this digest already: nothing but HEADs were sent.</param>
/// <param name="ManifestsCopied">Manifests PUT (an index and its children count one each).</param>
/// <param name="BlobsMounted">Blobs mounted from another repository of the same registry instead of copied.</param>
/// <param name="BlobsPresent">Blobs the target had already.</param>
public sealed record ImageCopyResult(
    string Digest,
    bool AlreadyPresent,
    int ManifestsCopied,
    int BlobsCopied,
    int BlobsMounted,
    int BlobsPresent,
    long BytesCopied);
