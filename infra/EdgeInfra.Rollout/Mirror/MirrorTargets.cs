using EdgeInfra.Components.Model;
using EdgeInfra.Engine;
using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>Which mirrors must serve which images for a ring: every app image of the release × every registry zone the
/// ring's stores use, where that zone mirrors the image's registry.</summary>
public static class MirrorTargets
{
    /// <param name="releases">App name → version being rolled out; an app not listed is at its configured version.</param>
    /// <exception cref="InputException">An app's image is not an image reference.</exception>
    public static IReadOnlyList<MirrorTarget> For(FleetModel model, IEnumerable<Store> ringStores, IReadOnlyDictionary<string, string>? releases = null)
    {
        var zones = model.Zones.ToDictionary(z => z.Name, StringComparer.Ordinal);
        var storesByZone = ringStores
            .Where(s => s.RegistryZone is { } z && zones.ContainsKey(z))
            .GroupBy(s => s.RegistryZone!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Zone: zones[g.Key], Stores: (IReadOnlyList<string>)[.. g.Select(s => s.Id)]))
            .ToList();

        var problems = new List<string>();
        var images = new List<(string App, ImageReference Image, string? Digest)>();
        foreach (var app in model.Apps.Where(a => a.Image is not null).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var version = releases?.GetValueOrDefault(app.Name) ?? app.Version;
            // The model's pin is of its configured version: a release of another version is checked by its tag.
            var digest = version == app.Version ? app.Digest : null;
            try { images.Add((app.Name, ImageReference.Parse(app.Image!, version), digest)); }
            catch (FormatException e) { problems.Add($"{app.Location}: app '{app.Name}': {e.Message}"); }
        }
        if (problems.Count > 0) throw new InputException(problems);

        return [.. from z in storesByZone
                   from i in images
                   where Mirrors(z.Zone, i.Image.Host)
                   select new MirrorTarget(z.Zone, i.App, i.Image, MirrorRepository(z.Zone, i.Image), z.Stores) { Digest = i.Digest }];
    }

    /// <summary>The zone redirects pulls from this registry host to its mirror (K3s <c>registries.yaml</c> mirrors).</summary>
    public static bool Mirrors(RegistryZone zone, string host) =>
        zone.Upstreams.Any(u => u == "*" || string.Equals(u, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>The repository a store asks the mirror for. A zone mirroring one upstream passes the name through; one
    /// mirroring several rewrites it under the upstream's host so their images stay apart — the rule
    /// <c>K3sRenderer.Registries</c> writes into <c>registries.yaml</c> (<c>^(.*)$ → &lt;upstream&gt;/$1</c>).</summary>
    public static string MirrorRepository(RegistryZone zone, ImageReference image) =>
        zone.Upstreams.Length > 1 ? $"{image.Host}/{image.Repository}" : image.Repository;
}
