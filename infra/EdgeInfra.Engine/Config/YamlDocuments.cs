using EdgeInfra.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>Loads a single-document YAML file into a node tree, turning syntax errors into file:line problems.</summary>
internal static class YamlDocuments
{
    /// <summary>The root node, or null for an empty file.</summary>
    public static YamlNode? LoadRoot(string file, string text)
    {
        YamlStream stream;
        try
        {
            stream = YamlParsers.LoadStream(text);
        }
        catch (YamlException e)
        {
            // The innermost error with a position says most; YamlDotNet prefixes its message with the position, which
            // file:line already gives.
            var inner = e.InnerException is YamlException ie && ie.Start.Line >= e.Start.Line ? ie : e;
            var message = BoundedYamlParser.Unprefixed(inner.Message);
            throw new ConfigException(ConfigException.At(file, inner.Start.Line, $"invalid YAML: {message}"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // BoundedYamlParser gives duplicate keys and broken flow collections a position; this is the last resort.
            throw new ConfigException($"{file}: invalid YAML: {e.Message}");
        }
        if (stream.Documents.Count > 1) throw new ConfigException($"{file}: expected one YAML document, found {stream.Documents.Count}");
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    public static string? ScalarText(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    public static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>The key node of a mapping entry by its text (matching on text, not on YamlDotNet's tag-aware equality).</summary>
    public static YamlNode? KeyOf(YamlMappingNode m, string name) => m.Children.Keys.FirstOrDefault(k => ScalarText(k) == name);

    public static YamlNode? Child(YamlMappingNode m, string name) => KeyOf(m, name) is { } k ? m.Children[k] : null;
}
