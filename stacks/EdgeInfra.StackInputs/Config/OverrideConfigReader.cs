using EdgeInfra.Components.Model;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:overrides</c>: layered value changes, each with an owner and an optional expiry.</summary>
/// <remarks>Expiry, unknown apps and scope/match consistency are checked by the renderer's <c>OverrideChecks</c>
/// on the built model; this reader checks only what it alone can see (types, owner, scope names).</remarks>
internal static class OverrideConfigReader
{
    private static readonly string[] Known = ["name", "app", "scope", "match", "values", "owner", "expires"];

    public static IReadOnlyList<OverrideSpec> Read(ConfigEntry? entry, ConfigReader reader)
    {
        var overrides = new List<OverrideSpec>();
        if (entry is null) return overrides;
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Overrides);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in reader.Sequence(root))
        {
            var f = reader.Fields(item, Known);
            var name = reader.String(f, "name", item, required: true);
            var app = reader.String(f, "app", item, required: true);
            var owner = reader.String(f, "owner", item);
            if (string.IsNullOrWhiteSpace(owner))
                reader.Problem(item, $"override '{name}' needs an 'owner' (who answers for it)");
            var scopeText = reader.String(f, "scope", item, required: true);
            OverrideScope? scope = scopeText switch
            {
                "baseline" => OverrideScope.Baseline,
                "region" => OverrideScope.Region,
                "site" => OverrideScope.Site,
                _ => null,
            };
            if (scopeText is not null && scope is null)
                reader.Problem(f["scope"], $"override '{name}' scope '{scopeText}' must be baseline, region or site");
            if (name is not null && !names.Add(name)) reader.Problem(item, $"override '{name}' is declared twice");
            var expires = reader.Date(f, "expires", item);
            var values = reader.Object(f, "values");
            if (name is null || app is null || scope is null || string.IsNullOrWhiteSpace(owner)) continue;
            overrides.Add(new OverrideSpec(name, app, scope.Value, reader.String(f, "match", item), values, owner, expires, item.Location));
        }
        return overrides;
    }
}
