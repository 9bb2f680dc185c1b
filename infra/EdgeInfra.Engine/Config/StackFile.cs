using YamlDotNet.RepresentationModel;
using static EdgeInfra.Engine.Config.YamlDocuments;

namespace EdgeInfra.Engine.Config;

/// <summary>The parsed content of one <c>Pulumi.&lt;stack&gt;.yaml</c>, kept as a node tree so edits keep key order.</summary>
internal sealed class StackFile
{
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "secretsprovider", "encryptedkey", "encryptionsalt", "config", "environment",
    };

    private StackFile(string path, string displayName, string text, bool exists, YamlMappingNode root)
    {
        Path = path;
        DisplayName = displayName;
        Text = text;
        Exists = exists;
        Root = root;
    }

    public string Path { get; }

    /// <summary>The path as messages show it: relative to the project.</summary>
    public string DisplayName { get; }

    /// <summary>The original text ("" for a missing file), for line-preserving edits.</summary>
    public string Text { get; }

    public bool Exists { get; }
    public YamlMappingNode Root { get; }

    public string? EncryptionSalt =>
        Child(Root, "encryptionsalt") is { } n && ScalarText(n) is { Length: > 0 } s ? s : null;

    public YamlMappingNode? Config =>
        Child(Root, "config") as YamlMappingNode;

    /// <param name="displayName">How messages name the file: its path relative to the project.</param>
    public static StackFile Read(string path, string displayName)
    {
        if (!File.Exists(path)) return new StackFile(path, displayName, "", false, new YamlMappingNode());
        var text = File.ReadAllText(path);
        var root = LoadRoot(displayName, text);
        return root switch
        {
            null => new StackFile(path, displayName, text, true, new YamlMappingNode()),
            YamlScalarNode { Value: "" or null } => new StackFile(path, displayName, text, true, new YamlMappingNode()),
            YamlMappingNode m => new StackFile(path, displayName, text, true, m),
            _ => throw new ConfigException(ConfigException.At(displayName, Line(root), "a stack settings file must be a YAML mapping")),
        };
    }

    /// <summary>Problems with the file's own shape: unknown attributes, unsupported secrets providers, a non-mapping config.</summary>
    public IEnumerable<string> ShapeProblems()
    {
        foreach (var (k, v) in Root.Children)
        {
            var name = ScalarText(k) ?? "";
            if (!TopLevelKeys.Contains(name))
                yield return ConfigException.At(DisplayName, Line(k), $"unknown stack attribute '{name}' (expected one of: {string.Join(", ", TopLevelKeys)})");
            else if (name == "secretsprovider" && ScalarText(v) is { Length: > 0 } provider && provider != "passphrase")
                yield return ConfigException.At(DisplayName, Line(v), $"secrets provider '{provider}' is not supported: EdgeInfra uses the passphrase provider (encryptionsalt)");
            else if (name == "encryptedkey" && ScalarText(v) is { Length: > 0 })
                yield return ConfigException.At(DisplayName, Line(v), "'encryptedkey' belongs to a cloud KMS secrets provider, which EdgeInfra does not support");
            else if (name == "config" && v is not YamlMappingNode && !(v is YamlScalarNode { Value: "" or null }))
                yield return ConfigException.At(DisplayName, Line(v), "'config' must be a mapping of configuration keys");
        }
    }
}
