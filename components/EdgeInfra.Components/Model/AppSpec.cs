using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace EdgeInfra.Components.Model;

/// <summary>How a store app is packaged.</summary>
public enum AppKind { Manifests, Helm }

/// <summary>When a store that was offline gets a change of this app (ARCHITECTURE.md §9).</summary>
public enum ChangeClass { Immediate, NextWindow, HoldForReview }

/// <summary>A Helm chart source for an app.</summary>
public sealed record HelmChartSpec(string Chart, string? Repo, string Version);

/// <summary>One app deployed to stores: packaging, release version and baseline values.</summary>
/// <param name="Version">The release being rolled out (e.g. pos-app 2.4.1); also the image tag unless values say otherwise.</param>
/// <param name="Image">Image repository (e.g. <c>registry.example.com/edge/pos-app</c>); null for manifest-only apps.</param>
/// <param name="Values">Baseline values (Helm values for Helm apps; template data for manifest apps).</param>
/// <param name="Manifests">For <see cref="AppKind.Manifests"/>: file name → YAML text, rendered into the bundle.</param>
/// <param name="Overlays">Overlay name → (file name → YAML text), selected per store with Fleet's <c>yaml.overlays</c>.</param>
/// <param name="OverlaySelectors">Overlay name → label selector (matchLabels) choosing the stores that get it.</param>
public sealed record AppSpec(
    string Name,
    AppKind Kind,
    string Version,
    string Namespace,
    HelmChartSpec? Helm,
    string? Image,
    JsonObject Values,
    ImmutableSortedDictionary<string, string> Manifests,
    ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Overlays,
    ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> OverlaySelectors,
    ChangeClass ChangeClass,
    SourceLocation Location)
{
    /// <summary>The image's manifest digest at <see cref="Version"/> as resolved when the release was pinned
    /// (<c>sha256:…</c>); null for an app without an image or a model not pinned (rendering only reads it).</summary>
    public string? Digest { get; init; }
}
