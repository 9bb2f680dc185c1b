using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>Loads a single-document YAML file into a node tree, turning syntax errors into file:line problems.</summary>
internal static class YamlDocuments
{
    /// <summary>The root node, or null for an empty file.</summary>
    public static YamlNode? LoadRoot(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is YamlException ie ? ie : e;
            // YamlDotNet prefixes its message with the position, which file:line already gives.
            var message = Regex.Replace(inner.Message, @"^\(Line: [^)]*\) - \(Line: [^)]*\): ", "");
            throw new ConfigException(ConfigException.At(file, inner.Start.Line, $"invalid YAML: {message}"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet reports some errors (a duplicate mapping key, a broken flow collection) without a position.
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
