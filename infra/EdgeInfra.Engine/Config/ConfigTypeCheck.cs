using System.Globalization;
using YamlDotNet.RepresentationModel;
using static EdgeInfra.Engine.Config.YamlValue;

namespace EdgeInfra.Engine.Config;

/// <summary>Pulumi's <c>ValidateConfigValue</c> over YAML nodes.</summary>
/// <remarks>
/// A top-level scalar in a stack file is a string to Pulumi (so <c>3</c> is a valid string and <c>"3"</c> a valid
/// integer); inside objects and arrays, and in Pulumi.yaml defaults, scalars keep their YAML type. A secure value
/// cannot be checked without decrypting it, so it is accepted for any scalar type.
/// </remarks>
internal static class ConfigTypeCheck
{
    public static readonly IReadOnlySet<string> Types =
        new HashSet<string>(StringComparer.Ordinal) { "string", "integer", "boolean", "array", "object" };

    public static bool Matches(string type, ConfigItemsType? items, YamlNode node, bool stringlyScalars)
    {
        if (TryGetSecure(node, out _)) return type is "string" or "integer" or "boolean";
        return type switch
        {
            "string" => node is YamlScalarNode s && (stringlyScalars || Classify(s) == ScalarKind.String),
            "integer" => node is YamlScalarNode s && IsInteger(s, stringlyScalars),
            "boolean" => node is YamlScalarNode s && IsBoolean(s),
            "array" => node is YamlSequenceNode seq && items is not null
                && seq.Children.All(c => Matches(items.Type, items.Items, c, stringlyScalars: false)),
            "object" => node is YamlMappingNode,
            _ => false,
        };
    }

    private static bool IsInteger(YamlScalarNode s, bool stringly)
    {
        var text = s.Value ?? "";
        var kind = Classify(s);
        if (kind == ScalarKind.Integer) return true;
        if (kind == ScalarKind.Float && !stringly)
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Truncate(d);
        return (kind == ScalarKind.String || stringly) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
    }

    private static bool IsBoolean(YamlScalarNode s) =>
        Classify(s) == ScalarKind.Boolean || s.Value is "true" or "false";
}
