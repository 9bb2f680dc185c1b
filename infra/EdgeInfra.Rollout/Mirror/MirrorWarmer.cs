using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>Copies each release image by digest from its upstream into each zone mirror that must serve it, several
/// copies at once and blobs concurrently under one shared limit. A copy that fails is reported with its zone and
/// image; the others go on.</summary>
/// <remarks>Zones served by one mirror (same URL, same repository) share one copy: two concurrent copies of the same
/// blobs into one registry would only move the bytes twice.</remarks>
public sealed class MirrorWarmer(MirrorRegistries registries, int copyConcurrency = 4, int blobConcurrency = 8)
{
    public async Task<IReadOnlyList<MirrorWarmResult>> WarmAsync(IReadOnlyList<MirrorTarget> targets,
        IProgress<MirrorWarmResult>? progress, CancellationToken ct)
    {
        using var copier = new ImageCopier(blobConcurrency);
        using var slots = new SemaphoreSlim(Math.Max(1, copyConcurrency));
        var groups = targets.GroupBy(t => (Mirror: t.Zone.Mirror.TrimEnd('/'), t.MirrorRepository, Image: t.Image.ToString(), t.Digest));
        var results = await Task.WhenAll(groups.Select(async group =>
        {
            var first = group.First();
            await slots.WaitAsync(ct);
            ImageCopyResult? copy = null;
            string? error = null;
            try
            {
                // A pinned release is copied by its digest, and the mirror's tag names those bytes even if the tag moved upstream.
                copy = await copier.CopyAsync(registries.Upstream(first.Image.Host), first.Image.Repository, first.Digest ?? first.Image.Reference,
                    registries.Mirror(first.Zone), first.MirrorRepository, ct, first.Digest is null ? null : first.Image.Reference);
            }
            catch (RegistryException e)
            {
                error = e.Message;
            }
            finally
            {
                slots.Release();
            }
            var done = group.Select(t => new MirrorWarmResult(t, copy, error)).ToList();
            foreach (var r in done) progress?.Report(r);
            return done;
        }));
        return [.. results.SelectMany(r => r)];
    }
}
