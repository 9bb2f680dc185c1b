using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Components.Yaml;

/// <summary>Reads YAML documents into <see cref="JsonNode"/> trees, resolving plain scalars with the YAML 1.2 core schema.</summary>
/// <remarks>
/// The core schema is what Fleet's <c>sigs.k8s.io/yaml</c> effectively applies, so an unquoted <c>0</c> is an integer
/// and <c>"0"</c> a string: the difference FleetLint cares about.
/// </remarks>
public static partial class YamlJsonReader
{
    /// <summary>Parses every document of a YAML stream; throws <see cref="YamlException"/> with line numbers on bad syntax.</summary>
    public static IReadOnlyList<JsonNode?> ReadAll(string yaml)
    {
        var stream = YamlParsers.LoadStream(yaml);
        return stream.Documents.Select(d => Convert(d.RootNode)).ToList();
    }

    /// <summary>Parses a single-document YAML text (an empty text is null).</summary>
    public static JsonNode? Read(string yaml)
    {
        var docs = ReadAll(yaml);
        return docs.Count == 0 ? null : docs[0];
    }

    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => ConvertMapping(m),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode sc => ConvertScalar(sc),
        _ => null,
    };

    private static JsonObject ConvertMapping(YamlMappingNode m)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in m.Children)
        {
            var key = k is YamlScalarNode ks ? ks.Value ?? "" : k.ToString();
            obj[key] = Convert(v);
        }
        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode sc)
    {
        var text = sc.Value ?? "";
        if (sc.Style != ScalarStyle.Plain || (!sc.Tag.IsEmpty && !sc.Tag.IsNonSpecific && sc.Tag.Value == "tag:yaml.org,2002:str")) return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return l is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)l) : JsonValue.Create(l);
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatPattern();
}
