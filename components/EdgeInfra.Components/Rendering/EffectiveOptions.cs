using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace EdgeInfra.Components.Rendering;

/// <summary>What one store of a ring ends up with for one app: fully merged values and the overlays it gets.</summary>
internal sealed record EffectiveOptions(JsonObject Values, ImmutableArray<string> Overlays, string Key)
{
    public static EffectiveOptions Create(JsonObject values, ImmutableArray<string> overlays) =>
        new(values, overlays, JsonMerge.Canonical(values) + "|" + string.Join(",", overlays));
}
