using System.Globalization;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Automation;

/// <summary>Reads the outputs a ring stack declares (its store count and app releases) for commits and previews.</summary>
internal static class StackOutputs
{
    /// <summary>The prefix of the outputs that name the stack's release, one per app (<c>release.&lt;app&gt;</c>).</summary>
    public const string ReleasePrefix = "release.";

    /// <summary>The release the stack rolls out (app → version), read from its <c>release.&lt;app&gt;</c> outputs.</summary>
    public static ReleaseSet Release(DesiredStack desired) => ReleaseSet.From(desired.Outputs
        .Where(o => o.Key.StartsWith(ReleasePrefix, StringComparison.Ordinal))
        .Select(o => KeyValuePair.Create(o.Key[ReleasePrefix.Length..], o.Value)));

    /// <summary>The releases the stack rolls out, as <c>app=version</c>, in app order.</summary>
    public static IReadOnlyList<string> Releases(DesiredStack desired) => Release(desired).Items;

    /// <summary>App → the image digest the stack's release is pinned to (its <c>digest.&lt;app&gt;</c> outputs).</summary>
    public static IReadOnlyDictionary<string, string> Digests(DesiredStack desired) => desired.Outputs
        .Where(o => o.Key.StartsWith(PinnedImages.OutputPrefix, StringComparison.Ordinal))
        .ToDictionary(o => o.Key[PinnedImages.OutputPrefix.Length..], o => o.Value, StringComparer.Ordinal);

    public static int Stores(DesiredStack desired) =>
        int.TryParse(desired.Outputs.GetValueOrDefault("stores"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
