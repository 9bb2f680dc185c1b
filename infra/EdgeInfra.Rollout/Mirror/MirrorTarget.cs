using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>One image of a release that one registry zone's mirror must serve, because stores of the ring pull through it.</summary>
/// <param name="Image">The upstream image at the release's tag (e.g. <c>registry.example.com/edge/pos-app:2.4.1</c>).</param>
/// <param name="MirrorRepository">The repository the zone's stores ask the mirror for (see <see cref="MirrorTargets.MirrorRepository"/>).</param>
/// <param name="Stores">The ring's stores in this zone, in inventory order.</param>
public sealed record MirrorTarget(RegistryZone Zone, string App, ImageReference Image, string MirrorRepository, IReadOnlyList<string> Stores)
{
    /// <summary>The digest the release is pinned to; the mirror must serve exactly it. Null when the release is not
    /// pinned: the mirror must then serve the tag at the upstream's digest.</summary>
    public string? Digest { get; init; }

    public override string ToString() => $"{Zone.Name} × {Image}";
}
