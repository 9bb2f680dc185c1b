using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>Reads config YAML nodes: recognises <c>{secure: …}</c> values and converts nodes to JSON.</summary>
/// <remarks>
/// Plain scalars resolve with the YAML 1.2 core schema (as Go's yaml.v3 does for Pulumi), quoted scalars are strings.
/// EdgeInfra.Components has a similar reader, but the Engine must not reference Components, so this one lives here.
/// </remarks>
public static partial class YamlValue
{
    /// <summary>True when <paramref name="node"/> is Pulumi's secret encoding, a mapping with the single key <c>secure</c>.</summary>
    public static bool TryGetSecure(YamlNode node, out string ciphertext)
    {
        ciphertext = "";
        if (node is not YamlMappingNode { Children.Count: 1 } m) return false;
        var (k, v) = m.Children.First();
        if (k is not YamlScalarNode { Value: "secure" } || v is not YamlScalarNode s) return false;
        ciphertext = s.Value ?? "";
        return true;
    }

    /// <summary>True when the node is, or contains anywhere, a <c>{secure: …}</c> value.</summary>
    public static bool ContainsSecure(YamlNode node) => node switch
    {
        _ when TryGetSecure(node, out _) => true,
        YamlMappingNode m => m.Children.Values.Any(ContainsSecure),
        YamlSequenceNode s => s.Children.Any(ContainsSecure),
        _ => false,
    };

    /// <summary>Converts a node to JSON; each <c>{secure: …}</c> becomes the string <paramref name="resolveSecure"/> returns for its ciphertext.</summary>
    /// <exception cref="ConfigException">A secure value is met and no resolver was given.</exception>
    public static JsonNode? ToJson(YamlNode node, Func<string, string>? resolveSecure = null)
    {
        if (TryGetSecure(node, out var ciphertext))
        {
            if (resolveSecure is null)
                throw new ConfigException($"line {node.Start.Line}: a secret value cannot be read without decrypting it");
            return JsonValue.Create(resolveSecure(ciphertext));
        }
        return node switch
        {
            YamlMappingNode m => ToJsonObject(m, resolveSecure),
            YamlSequenceNode s => new JsonArray(s.Children.Select(c => ToJson(c, resolveSecure)).ToArray()),
            YamlScalarNode sc => ScalarToJson(sc),
            _ => null,
        };
    }

    private static JsonObject ToJsonObject(YamlMappingNode m, Func<string, string>? resolveSecure)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in m.Children)
            obj[k is YamlScalarNode ks ? ks.Value ?? "" : k.ToString()] = ToJson(v, resolveSecure);
        return obj;
    }

    /// <summary>The JSON value of a scalar: null, boolean, integer, number or string by the YAML core schema.</summary>
    public static JsonNode? ScalarToJson(YamlScalarNode sc)
    {
        var text = sc.Value ?? "";
        return Classify(sc) switch
        {
            ScalarKind.Null => null,
            ScalarKind.Boolean => JsonValue.Create(text is "true" or "True" or "TRUE"),
            ScalarKind.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? l is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)l) : JsonValue.Create(l)
                : JsonValue.Create(text),
            ScalarKind.Float => JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    internal enum ScalarKind { String, Null, Boolean, Integer, Float }

    internal static ScalarKind Classify(YamlScalarNode sc)
    {
        var text = sc.Value ?? "";
        var explicitStr = !sc.Tag.IsEmpty && !sc.Tag.IsNonSpecific && sc.Tag.Value == "tag:yaml.org,2002:str";
        if (sc.Style != ScalarStyle.Plain || explicitStr) return ScalarKind.String;
        if (text is "" or "~" or "null" or "Null" or "NULL") return ScalarKind.Null;
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return ScalarKind.Boolean;
        if (IntPattern().IsMatch(text)) return ScalarKind.Integer;
        if (FloatPattern().IsMatch(text)) return ScalarKind.Float;
        return ScalarKind.String;
    }

    /// <summary>Pulumi's text of a value: the scalar's text, or compact JSON for objects and arrays.</summary>
    internal static string Text(YamlNode node, Func<string, string>? resolveSecure = null) => node switch
    {
        YamlScalarNode sc => sc.Value ?? "",
        _ when resolveSecure is not null && TryGetSecure(node, out var ct) => resolveSecure(ct),
        _ => ToJson(node, resolveSecure)?.ToJsonString() ?? "null",
    };

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatPattern();
}
