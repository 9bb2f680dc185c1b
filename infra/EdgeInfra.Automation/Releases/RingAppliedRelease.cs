using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Automation.Releases;

/// <summary>The release a ring stack was last applied at, read back from its state: each app's version
/// (<c>release.&lt;app&gt;</c> outputs) and pinned image digest (<c>digest.&lt;app&gt;</c>).</summary>
/// <remarks>Re-rendering a ring to pause or release its stores renders this, not the stack's config: a version bumped in
/// config but not rolled out, or a tag moved in the registry since the apply, must never reach a ring that way.</remarks>
internal sealed record RingAppliedRelease(IReadOnlyDictionary<string, string> Versions, IReadOnlyDictionary<string, string> Digests)
{
    /// <summary>What <paramref name="stack"/> recorded at its last apply; null when it was never applied.</summary>
    public static async Task<RingAppliedRelease?> ReadAsync(IStateBackend backend, string stack, CancellationToken ct)
    {
        if (!backend.ListStacks().Contains(stack, StringComparer.Ordinal)) return null;
        var outputs = (await backend.LoadAsync(stack, ct)).Outputs;
        var versions = Prefixed(outputs, StackOutputs.ReleasePrefix);
        return versions.Count == 0 ? null : new RingAppliedRelease(versions, Prefixed(outputs, PinnedImages.OutputPrefix));
    }

    /// <summary>The release as one comparable text (app=version@digest, by app).</summary>
    public string Key => string.Join(",", Versions.OrderBy(v => v.Key, StringComparer.Ordinal)
        .Select(v => $"{v.Key}={v.Value}@{Digests.GetValueOrDefault(v.Key)}"));

    /// <summary>The model with exactly the applied apps at their applied versions and digests (unpinned where the apply
    /// pinned none); every other app spec (values, manifests) as configured.</summary>
    /// <exception cref="RingAppliedReleaseException">The ring runs an app the stack no longer configures: its bundle cannot
    /// be rendered again.</exception>
    public FleetModel Apply(FleetModel model)
    {
        var missing = Versions.Keys.Where(app => model.Apps.All(a => a.Name != app)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new RingAppliedReleaseException($"it runs {string.Join(", ", missing)}, which the stack's config no longer defines; " +
                                              "a rollout applies the ring at the configured release first");
        var apps = model.Apps.Where(a => Versions.ContainsKey(a.Name)).Select(At);
        return model with { Apps = [.. apps] };
    }

    private AppSpec At(AppSpec app)
    {
        var version = Versions[app.Name];
        return app with
        {
            Version = version,
            // A chart without a version of its own (chartVersion) is released at the app's version.
            Helm = app.Helm is { } helm && helm.Version == app.Version ? helm with { Version = version } : app.Helm,
            Digest = app.Image is null ? null : Digests.GetValueOrDefault(app.Name),
        };
    }

    private static ImmutableSortedDictionary<string, string> Prefixed(IEnumerable<KeyValuePair<string, string>> outputs, string prefix) =>
        outputs.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToImmutableSortedDictionary(o => o.Key[prefix.Length..], o => o.Value, StringComparer.Ordinal);
}

/// <summary>A ring's applied release cannot be rendered again from the stack's config.</summary>
internal sealed class RingAppliedReleaseException(string message) : Exception(message);
