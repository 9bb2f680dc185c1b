using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>Checks, with HEAD requests only, whether each zone's mirror serves each release image at the upstream's
/// digest: one HEAD per image at the upstream (the release tag's digest) and one per zone × image at the mirror.</summary>
/// <remarks>The mirror is asked for the tag, as stores pulling by tag ask it; a distribution registry accepts a
/// manifest only once it holds every blob and child manifest, so a manifest it serves is complete.</remarks>
public sealed class MirrorInspector(MirrorRegistries registries, int concurrency = 16)
{
    public async Task<IReadOnlyList<MirrorObservation>> InspectAsync(IReadOnlyList<MirrorTarget> targets, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, concurrency));
        // A pinned release needs no upstream request: the mirror must serve the pinned digest, whatever the tag says now.
        var upstream = targets.Where(t => t.Digest is null).Select(t => t.Image).Distinct()
            .ToDictionary(i => i, i => Limited(slots, () => ResolveAsync(i, ct), ct));
        var observed = targets.Select(async t =>
        {
            var (digest, problem) = t.Digest is { } pinned ? (pinned, null) : await upstream[t.Image];
            if (digest is null) return new MirrorObservation(t, problem!.Value.State, null, null, problem.Value.Detail);
            return await Limited(slots, () => ObserveAsync(t, digest, ct), ct);
        });
        return await Task.WhenAll(observed);
    }

    private async Task<(string? Digest, (MirrorState State, string Detail)? Problem)> ResolveAsync(ImageReference image, CancellationToken ct)
    {
        try
        {
            var client = registries.Upstream(image.Host);
            var head = await client.HeadManifestAsync(image.Repository, image.Reference, ct);
            if (head is null) return (null, (MirrorState.UpstreamMissing, $"{client.Endpoint}: has no {image.Repository}:{image.Reference}"));
            var digest = head.Digest ?? (await client.GetManifestAsync(image.Repository, image.Reference, ct))?.Digest;
            return digest is null
                ? (null, (MirrorState.UpstreamMissing, $"{client.Endpoint}: has no {image.Repository}:{image.Reference}"))
                : (digest, null);
        }
        catch (RegistryException e)
        {
            return (null, (MirrorState.UpstreamUnreachable, e.Message));
        }
    }

    private async Task<MirrorObservation> ObserveAsync(MirrorTarget target, string digest, CancellationToken ct)
    {
        try
        {
            var mirror = registries.Mirror(target.Zone);
            var head = await mirror.HeadManifestAsync(target.MirrorRepository, target.Image.Reference, ct);
            var served = head is null ? null : head.Digest ?? (await mirror.HeadManifestAsync(target.MirrorRepository, digest, ct) is not null ? digest : null);
            // Stores of a pinned release pull by digest: the digest being there is what counts, whatever the tag names.
            if (target.Digest is not null && served != digest && await mirror.HeadManifestAsync(target.MirrorRepository, digest, ct) is not null)
                served = digest;
            return served == digest
                ? new MirrorObservation(target, MirrorState.Serves, digest, served, null)
                : new MirrorObservation(target, MirrorState.Missing, digest, served,
                    served is null
                        ? $"{target.MirrorRepository}:{target.Image.Reference} is not on the mirror"
                        : $"{target.MirrorRepository}:{target.Image.Reference} is at {served} on the mirror");
        }
        catch (RegistryException e)
        {
            return new MirrorObservation(target, MirrorState.MirrorUnreachable, digest, null, e.Message);
        }
    }

    private static async Task<T> Limited<T>(SemaphoreSlim slots, Func<Task<T>> run, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try { return await run(); }
        finally { slots.Release(); }
    }
}
