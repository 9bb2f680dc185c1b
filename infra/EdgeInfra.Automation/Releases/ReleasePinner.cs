using EdgeInfra.Components.Model;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.State;
using EdgeInfra.Lab.Registry;
using EdgeInfra.Providers.Registry;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation.Releases;

/// <summary>Pins each app image of a fleet's release (<c>image:version</c>) to its manifest digest: resolved in the
/// upstream registry, or read from what the ring stacks recorded in state.</summary>
/// <remarks>Registry requests are real network I/O, so their retries and timeouts run on the system clock whatever
/// clock the verb runs on (a test's fake clock would never fire a retry delay).</remarks>
internal static class ReleasePinner
{
    public static async Task<ReleasePins> PinAsync(IStackConfig config, string projectDir, IStateBackend backend, FleetModel model,
        ImagePinning pinning, CancellationToken ct)
    {
        var problems = new List<string>();
        var images = new List<(AppSpec App, ImageReference Image)>();
        foreach (var app in model.Apps.Where(a => a.Image is not null).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            try { images.Add((app, ImageReference.Parse(app.Image!, app.Version))); }
            catch (FormatException e) { problems.Add($"{app.Location}: app '{app.Name}': {e.Message}"); }
        }
        if (problems.Count > 0) throw new InputException(problems);
        if (images.Count == 0) return ReleasePins.None;

        var recorded = await RecordedDigests.ReadAsync(backend, model, ct);
        if (pinning != ImagePinning.Resolve)
        {
            var pinned = new List<PinnedImage>();
            foreach (var (app, image) in images)
            {
                if (RecordedDigests.Latest(recorded, app.Name, app.Version) is { } r)
                    pinned.Add(new PinnedImage(app.Name, app.Version, image.ToString(), r.Digest, "state"));
                else if (pinning == ImagePinning.Offline)
                    problems.Add($"--offline: no ring of stack {model.Stack} recorded a digest for {app.Name} {app.Version} ({image}); " +
                                 "run without --offline to resolve it in the registry");
            }
            if (problems.Count > 0) throw new ReleasePinException(problems);
            return new ReleasePins(pinned, []);
        }

        var resolved = await ResolveAsync(config, projectDir, images, problems, ct);
        if (problems.Count > 0)
        {
            problems.Add("(--offline applies the digests recorded in state instead)");
            throw new ReleasePinException(problems);
        }
        var moved = resolved
            .Select(p => (Pin: p, Before: recorded.Where(r => r.App == p.App && r.Version == p.Version && r.Digest != p.Digest).ToList()))
            .SelectMany(x => x.Before.GroupBy(b => b.Digest, StringComparer.Ordinal).Select(g =>
                new MovedTag(x.Pin.App, x.Pin.Version, x.Pin.Image, g.Key, x.Pin.Digest, [.. g.Select(b => b.Ring)])))
            .ToList();
        return new ReleasePins(resolved, moved);
    }

    private static async Task<List<PinnedImage>> ResolveAsync(IStackConfig config, string projectDir,
        List<(AppSpec App, ImageReference Image)> images, List<string> problems, CancellationToken ct)
    {
        // The lab has no registry: image hosts it does not configure are answered by its simulated one.
        var configured = UpstreamRegistryConfigReader.Read(config);
        var lab = HubConfigReader.Load(config, projectDir).IsLab;
        bool Simulated(ImageReference i) => lab && !configured.ContainsKey(i.Host);
        var endpoints = MirrorAccess.Upstreams(config, images.Select(i => i.Image).Where(i => !Simulated(i)).Select(i => i.Host));

        using var pool = new RegistryClientPool(new RegistryClientOptions(Attempts: 3), TimeProvider.System);
        var pinned = new List<PinnedImage>();
        foreach (var (app, image) in images)
        {
            if (Simulated(image))
            {
                pinned.Add(new PinnedImage(app.Name, app.Version, image.ToString(), LabRegistry.Digest(image), "lab registry"));
                continue;
            }
            var client = pool.For(endpoints[image.Host]);
            try
            {
                var head = await client.HeadManifestAsync(image.Repository, image.Reference, ct);
                var digest = head is null ? null : head.Digest ?? (await client.GetManifestAsync(image.Repository, image.Reference, ct))?.Digest;
                if (digest is null) problems.Add($"app '{app.Name}': {client.Endpoint} has no {image.Repository}:{image.Reference}");
                else pinned.Add(new PinnedImage(app.Name, app.Version, image.ToString(), digest, "registry"));
            }
            catch (RegistryException e)
            {
                problems.Add($"app '{app.Name}': cannot resolve {image}: {e.Message}");
            }
        }
        return pinned;
    }
}
