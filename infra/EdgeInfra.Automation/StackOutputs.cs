using System.Globalization;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Automation;

/// <summary>Reads the outputs a ring stack declares (its store count and app releases) for commits and previews.</summary>
internal static class StackOutputs
{
    private const string ReleasePrefix = "release.";

    /// <summary>The releases the stack rolls out, as <c>app=version</c>, in app order.</summary>
    public static IReadOnlyList<string> Releases(DesiredStack desired) =>
    [
        .. desired.Outputs
            .Where(o => o.Key.StartsWith(ReleasePrefix, StringComparison.Ordinal))
            .Select(o => $"{o.Key[ReleasePrefix.Length..]}={o.Value}"),
    ];

    public static int Stores(DesiredStack desired) =>
        int.TryParse(desired.Outputs.GetValueOrDefault("stores"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
