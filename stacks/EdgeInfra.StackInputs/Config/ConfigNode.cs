using EdgeInfra.Components.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs.Config;

/// <summary>A config value with where it sits: its file, its dotted path under the config key, and its line.</summary>
/// <param name="KeyLine">For a mapping entry, the line of its key (a block mapping value starts a line later); else 0.</param>
internal readonly record struct ConfigNode(YamlNode Node, string File, string Path, int KeyLine = 0)
{
    public SourceLocation Location => new(File, KeyLine > 0 ? KeyLine : (int)Node.Start.Line);

    public ConfigNode Child(YamlNode node, string name, int keyLine = 0) =>
        new(node, File, name.StartsWith('[') ? Path + name : $"{Path}.{name}", keyLine);
}
