using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Automation.Releases;

/// <summary>A digest a ring stack recorded for an app release at its last apply (its <c>release.&lt;app&gt;</c> and
/// <c>digest.&lt;app&gt;</c> outputs in state).</summary>
public sealed record RecordedDigest(string Ring, string App, string Version, string Digest, DateTimeOffset? Time);

/// <summary>Reads the digests every ring stack of a fleet recorded in state.</summary>
internal static class RecordedDigests
{
    public static async Task<IReadOnlyList<RecordedDigest>> ReadAsync(IStateBackend backend, FleetModel model, CancellationToken ct)
    {
        var known = backend.ListStacks().ToHashSet(StringComparer.Ordinal);
        var result = new List<RecordedDigest>();
        foreach (var ring in model.Rings.OrderBy(r => r.Order))
        {
            var name = FleetStackBuilder.RingStackName(model.Stack, ring.Name);
            if (!known.Contains(name)) continue;
            var state = await backend.LoadAsync(name, ct);
            foreach (var (key, digest) in state.Outputs.Where(o => o.Key.StartsWith(PinnedImages.OutputPrefix, StringComparison.Ordinal)))
            {
                var app = key[PinnedImages.OutputPrefix.Length..];
                if (state.Outputs.GetValueOrDefault(StackOutputs.ReleasePrefix + app) is { } version)
                    result.Add(new RecordedDigest(ring.Name, app, version, digest, state.Time));
            }
        }
        return result;
    }

    /// <summary>The digest most recently recorded for <paramref name="app"/> at <paramref name="version"/>, if any.</summary>
    public static RecordedDigest? Latest(IEnumerable<RecordedDigest> recorded, string app, string version) =>
        recorded.Where(r => r.App == app && r.Version == version).MaxBy(r => r.Time ?? DateTimeOffset.MinValue);
}
