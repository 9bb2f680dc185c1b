using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>Copies each release image by digest from its upstream into each zone mirror that must serve it, several
/// zone × image copies at once and blobs concurrently under one shared limit. A copy that fails is reported with its
/// zone and image; the others go on.</summary>
public sealed class MirrorWarmer(MirrorRegistries registries, int copyConcurrency = 4, int blobConcurrency = 8)
{
    public async Task<IReadOnlyList<MirrorWarmResult>> WarmAsync(IReadOnlyList<MirrorTarget> targets,
        IProgress<MirrorWarmResult>? progress, CancellationToken ct)
    {
        using var copier = new ImageCopier(blobConcurrency);
        using var slots = new SemaphoreSlim(Math.Max(1, copyConcurrency));
        var results = await Task.WhenAll(targets.Select(async target =>
        {
            await slots.WaitAsync(ct);
            MirrorWarmResult result;
            try
            {
                var copy = await copier.CopyAsync(registries.Upstream(target.Image.Host), target.Image.Repository, target.Image.Reference,
                    registries.Mirror(target.Zone), target.MirrorRepository, ct);
                result = new MirrorWarmResult(target, copy, null);
            }
            catch (RegistryException e)
            {
                result = new MirrorWarmResult(target, null, e.Message);
            }
            finally
            {
                slots.Release();
            }
            progress?.Report(result);
            return result;
        }));
        return results;
    }
}
