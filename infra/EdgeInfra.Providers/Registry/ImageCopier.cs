namespace EdgeInfra.Providers.Registry;

/// <summary>Copies an image by digest between registries: missing blobs (concurrently, up to a limit shared by every
/// copy this copier runs), then child manifests by digest, then the top manifest by its reference, all with the
/// original bytes, so the target serves the same digest as the source.</summary>
/// <remarks>
/// Order matters: a registry refuses a manifest whose blobs or child manifests it lacks (MANIFEST_BLOB_UNKNOWN). When
/// the target already serves the reference at the source's digest, only two HEADs are sent. Blobs are mounted instead
/// of copied when source and target are the same registry.
/// </remarks>
public sealed class ImageCopier(int blobConcurrency) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, blobConcurrency));

    /// <summary>The target already has the reference at the source's digest (HEADs only); the digest, or null when not.</summary>
    /// <param name="targetReference">Where the target must serve it; <paramref name="reference"/> when null.</param>
    public static async Task<(string? SourceDigest, bool Present)> CheckAsync(RegistryClient source, string sourceRepository,
        RegistryClient target, string targetRepository, string reference, CancellationToken ct, string? targetReference = null)
    {
        var head = await source.HeadManifestAsync(sourceRepository, reference, ct)
            ?? throw new RegistryException(RegistryFailure.NotFound, $"{source.Endpoint}: {sourceRepository} has no manifest '{reference}'");
        var digest = head.Digest ?? (await source.GetManifestAsync(sourceRepository, reference, ct))?.Digest;
        if (digest is null) return (null, false);
        var there = await target.HeadManifestAsync(targetRepository, targetReference ?? reference, ct);
        return (digest, there?.Digest == digest);
    }

    /// <summary>Makes <paramref name="target"/> serve <paramref name="reference"/> (a tag or digest) of
    /// <paramref name="targetRepository"/> exactly as the source does.</summary>
    /// <param name="targetReference">The tag the target serves the copy under, when <paramref name="reference"/> is a
    /// pinned digest whose tag may have moved upstream since: the target's tag then names the pinned bytes.</param>
    public async Task<ImageCopyResult> CopyAsync(RegistryClient source, string sourceRepository, string reference,
        RegistryClient target, string targetRepository, CancellationToken ct, string? targetReference = null)
    {
        var (digest, present) = await CheckAsync(source, sourceRepository, target, targetRepository, reference, ct, targetReference);
        if (present) return new ImageCopyResult(digest!, true, 0, 0, 0, 0, 0);

        var top = await source.GetManifestAsync(sourceRepository, digest ?? reference, ct)
            ?? throw new RegistryException(RegistryFailure.NotFound, $"{source.Endpoint}: {sourceRepository} has no manifest '{digest ?? reference}'");
        var tally = new Tally();
        var copy = new Copy(source, sourceRepository, target, targetRepository, tally);
        await CopyContentAsync(copy, top, ct);
        await target.PutManifestAsync(targetRepository, targetReference ?? reference, top, ct);
        Interlocked.Increment(ref tally.Manifests);
        return new ImageCopyResult(top.Digest, false, tally.Manifests, tally.Blobs, tally.Mounted, tally.Present, tally.Bytes);
    }

    /// <summary>Everything a manifest references, so that the manifest itself can be PUT next.</summary>
    private async Task CopyContentAsync(Copy copy, Manifest manifest, CancellationToken ct)
    {
        if (manifest.IsIndex)
        {
            await Task.WhenAll(manifest.Children.Select(child => CopyChildAsync(copy, child, ct)));
            return;
        }
        // Foreign layers live outside the registry; distribution accepts manifests naming them without the blob.
        var blobs = manifest.Blobs.Where(b => b.Urls.Count == 0).DistinctBy(b => b.Digest);
        await Task.WhenAll(blobs.Select(blob => CopyBlobAsync(copy, blob, ct)));
    }

    private async Task CopyChildAsync(Copy copy, OciDescriptor child, CancellationToken ct)
    {
        if (await copy.Target.HeadManifestAsync(copy.TargetRepository, child.Digest, ct) is { } head && (head.Digest ?? child.Digest) == child.Digest)
            return;
        var manifest = await copy.Source.GetManifestAsync(copy.SourceRepository, child.Digest, ct)
            ?? throw new RegistryException(RegistryFailure.NotFound, $"{copy.Source.Endpoint}: {copy.SourceRepository} has no child manifest {child.Digest}");
        await CopyContentAsync(copy, manifest, ct);
        await copy.Target.PutManifestAsync(copy.TargetRepository, child.Digest, manifest, ct);
        Interlocked.Increment(ref copy.Tally.Manifests);
    }

    private async Task CopyBlobAsync(Copy copy, OciDescriptor blob, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            if (await copy.Target.BlobExistsAsync(copy.TargetRepository, blob.Digest, ct))
            {
                Interlocked.Increment(ref copy.Tally.Present);
                return;
            }
            if (copy.Source.Endpoint.SameRegistryAs(copy.Target.Endpoint) && copy.SourceRepository != copy.TargetRepository &&
                await copy.Target.TryMountBlobAsync(copy.TargetRepository, blob.Digest, copy.SourceRepository, ct))
            {
                Interlocked.Increment(ref copy.Tally.Mounted);
                return;
            }
            var bytes = await copy.Target.CopyBlobFromAsync(copy.Source, copy.SourceRepository, copy.TargetRepository, blob, ct);
            Interlocked.Increment(ref copy.Tally.Blobs);
            Interlocked.Add(ref copy.Tally.Bytes, bytes);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private sealed record Copy(RegistryClient Source, string SourceRepository, RegistryClient Target, string TargetRepository, Tally Tally);

    private sealed class Tally
    {
        public int Manifests;
        public int Blobs;
        public int Mounted;
        public int Present;
        public long Bytes;
    }
}
