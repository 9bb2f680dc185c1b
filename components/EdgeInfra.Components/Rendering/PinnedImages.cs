using EdgeInfra.Components.Model;

namespace EdgeInfra.Components.Rendering;

/// <summary>Pins each app's image to the manifest digest its release tag resolved to, so a ring's bundle names exact
/// bytes: a tag moved in the registry after review cannot change what the stores of a ring run.</summary>
/// <remarks>The digest goes into the bundle as the chart's <c>image.digest</c> value beside <c>image.repository</c> and
/// <c>image.tag</c> (the convention of Helm charts that pull by digest when one is given; see
/// <see cref="EffectiveOptionsResolver"/>), and into the ring stack's outputs (<c>digest.&lt;app&gt;</c>) and release
/// resource, which state and history record.</remarks>
public static class PinnedImages
{
    /// <summary>The ring stack output prefix of a pinned digest: <c>digest.&lt;app&gt;</c>.</summary>
    public const string OutputPrefix = "digest.";

    /// <summary>The model with every app named in <paramref name="digests"/> (app → <c>sha256:…</c>) pinned.</summary>
    public static FleetModel Apply(FleetModel model, IReadOnlyDictionary<string, string> digests)
    {
        if (digests.Count == 0) return model;
        var apps = model.Apps.Select(a => a.Image is not null && digests.TryGetValue(a.Name, out var digest) ? Pin(a, digest) : a);
        return model with { Apps = [.. apps] };
    }

    /// <summary>The pinned image reference (<c>repository@sha256:…</c>), or null when the app is not pinned.</summary>
    public static string? Reference(AppSpec app) => app.Image is null || app.Digest is null ? null : $"{app.Image}@{app.Digest}";

    private static AppSpec Pin(AppSpec app, string digest) => app with { Digest = digest };
}
