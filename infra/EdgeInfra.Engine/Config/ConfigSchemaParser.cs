using YamlDotNet.RepresentationModel;
using static EdgeInfra.Engine.Config.YamlDocuments;

namespace EdgeInfra.Engine.Config;

/// <summary>Reads the <c>config:</c> block of Pulumi.yaml into schema entries and checks them as <c>Project.Validate</c> does.</summary>
internal static class ConfigSchemaParser
{
    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "type", "description", "items", "default", "value", "secret",
    };

    public static Dictionary<string, ConfigSchemaEntry> Parse(
        YamlMappingNode config, string project, Action<YamlNode?, string> report)
    {
        var result = new Dictionary<string, ConfigSchemaEntry>(StringComparer.Ordinal);
        foreach (var (k, v) in config.Children)
        {
            var written = ScalarText(k) ?? "";
            if (written.Length == 0) { report(k, "configuration keys must be non-empty strings"); continue; }
            if (ConfigKeys.TryParse(written, project) is not { } key) { report(k, ConfigKeys.Invalid(written)); continue; }
            var entry = v is YamlMappingNode m
                ? ParseDeclaration(key, written, m, Line(k), report)
                : new ConfigSchemaEntry(key, null, null, null, v, false, null, Line(k));
            Validate(entry, written, project, k, report);
            if (!result.TryAdd(key, entry))
                report(k, $"configuration key '{written}' is declared twice (as '{key}')");
        }
        return result;
    }

    private static ConfigSchemaEntry ParseDeclaration(
        string key, string written, YamlMappingNode m, int line, Action<YamlNode?, string> report)
    {
        string? type = null, description = null;
        ConfigItemsType? items = null;
        YamlNode? @default = null, value = null;
        var secret = false;
        foreach (var (ak, av) in m.Children)
        {
            switch (ScalarText(ak))
            {
                case "type":
                    type = ScalarText(av);
                    if (type is null || !ConfigTypeCheck.Types.Contains(type))
                        report(av, $"configuration key '{written}' has an invalid type '{type ?? av.ToString()}': use string, integer, boolean, array or object");
                    break;
                case "description": description = ScalarText(av); break;
                case "items": items = ParseItems(written, av, report); break;
                case "default": @default = av; break;
                case "value": value = av; break;
                case "secret":
                    if (av is YamlScalarNode { Value: "true" or "false" } sv) secret = sv.Value == "true";
                    else report(av, $"configuration key '{written}': 'secret' must be true or false");
                    break;
                default:
                    report(ak, $"configuration key '{written}' has an unknown attribute '{ScalarText(ak)}' (expected one of: {string.Join(", ", Attributes)})");
                    break;
            }
        }
        return new ConfigSchemaEntry(key, type, items, @default, value, secret, description, line);
    }

    private static ConfigItemsType? ParseItems(string written, YamlNode node, Action<YamlNode?, string> report)
    {
        if (node is not YamlMappingNode m || Child(m, "type") is not { } t || ScalarText(t) is not { } type)
        {
            report(node, $"configuration key '{written}': 'items' must be a mapping with a 'type'");
            return null;
        }
        if (!ConfigTypeCheck.Types.Contains(type))
            report(t, $"configuration key '{written}' has an invalid items type '{type}': use string, integer, boolean, array or object");
        ConfigItemsType? inner = null;
        if (Child(m, "items") is { } innerNode) inner = ParseItems(written, innerNode, report);
        else if (type == "array")
            report(t, $"The configuration key '{written}' declares an array but does not specify the underlying type via the 'items' attribute");
        return new ConfigItemsType(type, inner);
    }

    private static void Validate(ConfigSchemaEntry e, string written, string project, YamlNode at, Action<YamlNode?, string> report)
    {
        if (e.Default is not null && e.Value is not null)
            report(at, $"project config '{written}' cannot have both a 'default' and 'value' attribute");
        if (ConfigKeys.IsInNamespace(written, project))
        {
            if (e.Type == "array" && e.Items is null)
                report(at, $"The configuration key '{written}' declares an array but does not specify the underlying type via the 'items' attribute");
            else if (e.Type is not null && ConfigTypeCheck.Types.Contains(e.Type) && e.Default is not null
                     && !ConfigTypeCheck.Matches(e.Type, e.Items, e.Default, stringlyScalars: false))
                report(e.Default, $"The default value specified for configuration key '{written}' is not of the expected type '{e.FullTypeName}'");
            return;
        }
        if (e.Type is not null)
            report(at, $"Configuration key '{written}' is not namespaced by the project and should not define a type");
        if (e.Default is not null)
            report(at, $"Configuration key '{written}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?");
        if (e.Value is null)
            report(at, $"Configuration key '{written}' is namespaced and must provide an attribute 'value'");
    }
}
