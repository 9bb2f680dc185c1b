using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Yaml;

/// <summary>The one way EdgeInfra opens YAML it reads: YamlDotNet's parser behind <see cref="BoundedYamlParser"/>.</summary>
public static class YamlParsers
{
    public static IParser Open(TextReader text) => new BoundedYamlParser(new Parser(text));

    public static IParser Open(string text) => new BoundedYamlParser(new Parser(new StringReader(text)), text);

    /// <summary>As <see cref="Open(string)"/>, reporting duplicate keys to <paramref name="onDuplicateKey"/> instead of
    /// stopping at the first (an event reader that collects every problem of a file).</summary>
    public static IParser Open(string text, Action<Scalar, Mark> onDuplicateKey) =>
        new BoundedYamlParser(new Parser(new StringReader(text)), text, onDuplicateKey);

    /// <summary>A node tree of every document in <paramref name="text"/>; throws <see cref="YamlException"/> at the
    /// offending line for bad syntax, a duplicate key or an alias beyond the bounds.</summary>
    public static YamlStream LoadStream(TextReader text) => Load(Open(text));

    public static YamlStream LoadStream(string text) => Load(Open(text));

    private static YamlStream Load(IParser parser)
    {
        var stream = new YamlStream();
        stream.Load(parser);
        return stream;
    }
}
