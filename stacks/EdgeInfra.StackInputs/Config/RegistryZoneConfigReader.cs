using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:registryZones</c>: zone name → mirror, upstreams and the config key of its credentials.</summary>
internal static class RegistryZoneConfigReader
{
    /// <param name="warnings">Receives a note for each zone whose credentials key is not set: it renders without auth.</param>
    public static IReadOnlyList<RegistryZone> Read(ConfigEntry? entry, IStackConfig config, ConfigReader reader, List<string> warnings)
    {
        var zones = new List<RegistryZone>();
        if (entry is null) return zones;
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.RegistryZones);
        foreach (var (name, node) in reader.Entries(root))
        {
            // Stores name their zone in a label: a zone no label can name is a typo, or worse.
            if (!LabelRules.IsValidValue(name) || name.Length == 0)
                reader.Problem(node, $"registry zone name '{name}' must be a valid Kubernetes label value (at most 63 of A-Z a-z 0-9 - _ . , starting and ending alphanumeric)");
            var f = reader.Fields(node, "mirror", "upstreams", "authKey");
            var mirror = reader.String(f, "mirror", node, required: true);
            if (mirror is not null && !(Uri.TryCreate(mirror, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                reader.Problem(f["mirror"], $"registry zone '{name}' mirror '{mirror}' must be an http(s) URL");
            var upstreams = reader.StringList(f, "upstreams");
            if (upstreams.Count == 0) reader.Problem(node, $"registry zone '{name}' needs at least one upstream registry");
            var authKey = reader.String(f, "authKey", node);
            if (authKey is not null)
            {
                if (!authKey.Contains(':', StringComparison.Ordinal)) authKey = $"{FleetConfigKeys.Namespace}:{authKey}";
                // Credentials are set by each user with `config set --secret`; a fresh clone has none and still previews.
                if (config.Get(authKey) is null)
                {
                    warnings.Add($"{node.Location}: registry zone '{name}': secret '{authKey}' is not set; rendering its registries.yaml without auth " +
                        $"(set it with: edgeinfra config set --secret {authKey} user:password)");
                    authKey = null;
                }
                else if (config.Get(authKey) is { IsSecure: false } plain)
                {
                    reader.Problems.Add($"{plain.File}:{plain.Line}: {authKey}: registry credentials must be set with --secret");
                }
            }
            if (mirror is null) continue;
            zones.Add(new RegistryZone(name, mirror, [.. upstreams], authKey, node.Location));
        }
        return zones;
    }
}
