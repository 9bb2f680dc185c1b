using EdgeInfra.Components.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Stacks.Config;

/// <summary>A config value with where it sits: its file, its dotted path under the config key, and its line.</summary>
internal readonly record struct ConfigNode(YamlNode Node, string File, string Path)
{
    public SourceLocation Location => new(File, (int)Node.Start.Line);

    public ConfigNode Child(YamlNode node, string name) =>
        new(node, File, name.StartsWith('[') ? Path + name : $"{Path}.{name}");
}
