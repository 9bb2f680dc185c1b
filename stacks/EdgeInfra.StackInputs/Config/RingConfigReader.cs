using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>A ring as configured: its spec plus the stores it lists explicitly by id.</summary>
internal sealed record RingConfig(RingSpec Spec, ImmutableArray<(string StoreId, SourceLocation Location)> Stores);

/// <summary>Reads <c>edge-infra:rings</c>: an ordered list of rings with cumulative percentages and rollout budgets.</summary>
internal static class RingConfigReader
{
    private static readonly string[] Known =
        ["name", "percent", "maxUnavailable", "bake", "autoPartitionSize", "maxUnavailablePartitions", "stores"];

    public static IReadOnlyList<RingConfig> Read(ConfigEntry? entry, ConfigReader reader)
    {
        var rings = new List<RingConfig>();
        if (entry is null)
        {
            reader.Problems.Add($"{FleetConfigKeys.Rings}: no rings are configured; a stack needs at least one");
            return rings;
        }
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Rings);
        var names = new HashSet<string>(StringComparer.Ordinal);
        double? previousPercent = null;
        foreach (var item in reader.Sequence(root))
        {
            var f = reader.Fields(item, Known);
            var name = reader.String(f, "name", item, required: true);
            if (name is null) continue;
            if (!names.Add(name)) reader.Problem(item, $"ring '{name}' is declared twice");
            if (!DnsLabel.IsValid(name)) reader.Problem(item, $"ring name '{name}' must be a DNS label (lower-case alphanumerics and '-')");

            var percent = reader.Number(f, "percent", item);
            if (percent is { } p)
            {
                if (p is <= 0 or > 100) reader.Problem(f["percent"], $"ring '{name}' percent {p} must be above 0 and at most 100");
                else if (previousPercent is { } prev && p <= prev)
                    reader.Problem(f["percent"], $"ring '{name}' percent {p} must be above the previous ring's {prev} (percentages are cumulative)");
                previousPercent = p;
            }

            var spec = new RingSpec(name, rings.Count, percent,
                reader.String(f, "maxUnavailable", item) ?? FleetConfigKeys.DefaultMaxUnavailable,
                reader.Duration(f, "bake", item) ?? TimeSpan.Zero,
                item.Location)
            {
                AutoPartitionSize = reader.String(f, "autoPartitionSize", item) ?? FleetConfigKeys.DefaultAutoPartitionSize,
                MaxUnavailablePartitions = reader.Integer(f, "maxUnavailablePartitions", item) ?? 0,
            };
            // The renderer's own checks, reported now with the ring's file and line.
            RolloutStrategyRenderer.Render(spec, reader.Problems);

            var stores = ImmutableArray.CreateBuilder<(string, SourceLocation)>();
            if (f.TryGetValue("stores", out var storesNode))
                foreach (var s in reader.Sequence(storesNode))
                {
                    if (s.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { Length: > 0 } id }) stores.Add((id, s.Location));
                    else reader.Problem(s, "must be a store id");
                }
            rings.Add(new RingConfig(spec, stores.ToImmutable()));
        }
        if (rings.Count == 0 && reader.Problems.Count == 0)
            reader.Problem(root, "no rings are configured; a stack needs at least one");
        var last = rings.Count > 0 ? rings[^1].Spec : null;
        if (last?.Percent is { } lp && lp < 100 && rings.All(r => r.Spec.Percent is not null))
            reader.Problem(new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Rings), $"the last ring '{last.Name}' has percent {lp}; it must reach 100 so every store is in a ring");
        return rings;
    }
}
