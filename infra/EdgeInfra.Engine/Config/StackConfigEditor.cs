using System.Globalization;
using System.Text;
using EdgeInfra.Engine.State;
using YamlDotNet.RepresentationModel;
using static EdgeInfra.Engine.Config.YamlDocuments;

namespace EdgeInfra.Engine.Config;

/// <summary>Edits <c>Pulumi.&lt;stack&gt;.yaml</c> as <c>pulumi config set/get/rm [--secret] [--path]</c> do.</summary>
/// <remarks>
/// Bare keys are namespaced to the project. Without <c>--path</c> a value is a string; with it, nested YAML is created
/// and <c>true</c>/<c>false</c>/integers are typed. Edits keep key order and, when the change is a scalar replacement, a
/// new entry appended to an existing block mapping, or an entry removal, every other line (comments included);
/// other changes rewrite the file from its node tree, which drops comments. Writes are atomic (temp file + rename).
/// </remarks>
public static class StackConfigEditor
{
    /// <summary>Sets a value (encrypting it when <paramref name="secret"/>; the first secret creates <c>encryptionsalt</c>).</summary>
    public static void Set(ProjectFile project, string stack, string key, string value, bool secret, bool path, IPassphraseSource? passphrase = null) =>
        Set(project, stack, key, value, secret, path, passphrase, PassphraseSecretsManager.Iterations);

    internal static void Set(ProjectFile project, string stack, string key, string value, bool secret, bool path, IPassphraseSource? passphrase, int iterations)
    {
        var file = project.ReadStackFile(stack);
        var (qualified, segments) = Target(project, key, path);
        if (!secret && project.Config.TryGetValue(qualified, out var schema) && schema.Secret)
            throw new ConfigException($"configuration key '{qualified}' is declared secret in {project.Display(project.Path)}: set it with --secret");
        // The loader rejects undeclared plaintext project keys as typos; refuse them here, before the file changes.
        if (!secret && !project.Config.ContainsKey(qualified) && ConfigKeys.IsInNamespace(qualified, project.Name))
            throw new ConfigException($"configuration key '{qualified}' is not declared in the config schema of {project.Display(project.Path)} " +
                                      $"(declared keys: {string.Join(", ", project.Config.Keys.Where(k => ConfigKeys.IsInNamespace(k, project.Name)).Select(ConfigKeys.Name).Order(StringComparer.Ordinal))})");

        var edits = new TextEdits(file.Text);
        var local = file.Exists;
        YamlNode newValue;
        if (secret)
        {
            var secrets = SecretsFor(file, stack, passphrase ?? new EnvironmentPassphraseSource(), iterations, edits);
            newValue = SecureNode(secrets.Encrypt(value));
        }
        else
        {
            newValue = path ? TypedValue(value) : YamlWriter.StringScalar(value);
        }

        var config = EnsureConfig(file.Root, ref local);
        var keyNode = FindKey(config, qualified, project.Name);
        if (keyNode is null)
        {
            var newKey = YamlWriter.StringScalar(qualified);
            var top = segments.Count == 0 ? newValue : Build(segments, 0, newValue);
            local &= edits.AppendEntry(config, newKey, top);
            config.Children.Add(newKey, top);
        }
        else if (segments.Count == 0)
        {
            local &= PlanReplace(edits, config.Children[keyNode], newValue);
            config.Children[keyNode] = newValue;
        }
        else
        {
            local &= SetInside(config.Children[keyNode], segments, 0, newValue, qualified, edits);
        }
        Save(file, edits, local);
    }

    /// <summary>Removes a value (or, with <paramref name="path"/>, one nested element); false when it was not set.</summary>
    public static bool Remove(ProjectFile project, string stack, string key, bool path)
    {
        var file = project.ReadStackFile(stack);
        var (qualified, segments) = Target(project, key, path);
        if (file.Config is not { } config || FindKey(config, qualified, project.Name) is not { } keyNode) return false;

        var edits = new TextEdits(file.Text);
        bool local;
        if (segments.Count == 0)
        {
            local = edits.RemoveEntry(config, keyNode, config.Children[keyNode]);
            config.Children.Remove(keyNode);
        }
        else
        {
            var parent = Navigate(config.Children[keyNode], segments.Take(segments.Count - 1));
            switch (parent, segments[^1])
            {
                case (YamlMappingNode m, string name) when KeyOf(m, name) is { } k:
                    local = edits.RemoveEntry(m, k, m.Children[k]);
                    m.Children.Remove(k);
                    break;
                case (YamlSequenceNode s, int index) when index < s.Children.Count:
                    s.Children.RemoveAt(index);
                    local = false;
                    break;
                default:
                    return false;
            }
        }
        if (config.Children.Count == 0)
        {
            file.Root.Children.Remove(KeyOf(file.Root, "config")!);
            local = false;
        }
        Save(file, edits, local);
        return true;
    }

    /// <summary>The value as <c>pulumi config get</c> prints it (objects as JSON); secrets are <c>[secret]</c> unless
    /// <paramref name="showSecrets"/>, which decrypts them. Falls back to the Pulumi.yaml default; null when unset.</summary>
    public static string? Get(ProjectFile project, string stack, string key, bool path, bool showSecrets, IPassphraseSource? passphrase = null) =>
        Get(project, stack, key, path, showSecrets, passphrase, PassphraseSecretsManager.Iterations);

    internal static string? Get(ProjectFile project, string stack, string key, bool path, bool showSecrets, IPassphraseSource? passphrase, int iterations)
    {
        var file = project.ReadStackFile(stack);
        var (qualified, segments) = Target(project, key, path);
        YamlNode? top = file.Config is { } config && FindKey(config, qualified, project.Name) is { } k ? config.Children[k] : null;
        top ??= project.Config.TryGetValue(qualified, out var schema) ? schema.Default ?? schema.Value : null;
        if (top is null || Navigate(top, segments) is not { } node) return null;

        if (!showSecrets) return YamlValue.Text(node, _ => "[secret]");
        PassphraseSecretsManager? secrets = null;
        return YamlValue.Text(node, ciphertext =>
        {
            var salt = file.EncryptionSalt ?? throw new ConfigException($"{file.Path}: holds a secure value but no 'encryptionsalt'");
            secrets ??= new PassphraseSecretsManager(salt, passphrase ?? new EnvironmentPassphraseSource(), stack, iterations);
            return secrets.Decrypt(ciphertext);
        });
    }

    private static (string Key, IReadOnlyList<object> Segments) Target(ProjectFile project, string key, bool path)
    {
        if (key.Length == 0) throw new ConfigException("a configuration key must not be empty");
        var (first, segments) = path ? ConfigPath.Parse(key) : new ConfigPath(key, []);
        return (ConfigKeys.TryParse(first, project.Name) ?? throw new ConfigException(ConfigKeys.Invalid(first)), segments);
    }

    private static PassphraseSecretsManager SecretsFor(StackFile file, string stack, IPassphraseSource source, int iterations, TextEdits edits)
    {
        if (file.EncryptionSalt is { } salt) return new PassphraseSecretsManager(salt, source, stack, iterations);
        var created = PassphraseSecretsManager.Create(source, stack, iterations);
        if (KeyOf(file.Root, "encryptionsalt") is { } old) file.Root.Children.Remove(old);
        file.Root.Children.Insert(0, new YamlScalarNode("encryptionsalt"), YamlWriter.TypedScalar(created.EncryptionSalt));
        edits.InsertAtStart($"encryptionsalt: {created.EncryptionSalt}\n");
        return created;
    }

    private static YamlMappingNode EnsureConfig(YamlMappingNode root, ref bool local)
    {
        if (Child(root, "config") is YamlMappingNode m) return m;
        local = false;
        var config = new YamlMappingNode();
        if (KeyOf(root, "config") is { } emptyKey) root.Children[emptyKey] = config;
        else root.Children.Add(new YamlScalarNode("config"), config);
        return config;
    }

    private static YamlNode? FindKey(YamlMappingNode config, string qualified, string project) =>
        config.Children.Keys.FirstOrDefault(k => ScalarText(k) is { } t && ConfigKeys.TryParse(t, project) == qualified);

    private static YamlMappingNode SecureNode(string ciphertext) =>
        new() { { new YamlScalarNode("secure"), YamlWriter.TypedScalar(ciphertext) } };

    private static YamlScalarNode TypedValue(string value)
    {
        if (value is "true" or "false") return YamlWriter.TypedScalar(value);
        // Like Pulumi, only a canonical integer becomes one ("0123" stays a string).
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
            && i.ToString(CultureInfo.InvariantCulture) == value)
            return YamlWriter.TypedScalar(value);
        return YamlWriter.StringScalar(value);
    }

    private static YamlNode Build(IReadOnlyList<object> segments, int i, YamlNode leaf)
    {
        if (i == segments.Count) return leaf;
        var child = Build(segments, i + 1, leaf);
        return segments[i] switch
        {
            string name => new YamlMappingNode { { YamlWriter.StringScalar(name), child } },
            int index when index == 0 => new YamlSequenceNode(child),
            _ => throw new ConfigException($"array index {segments[i]} is out of range: a new array starts at index 0"),
        };
    }

    private static bool SetInside(YamlNode container, IReadOnlyList<object> segments, int i, YamlNode leaf, string key, TextEdits edits)
    {
        if (YamlValue.TryGetSecure(container, out _))
            throw new ConfigException($"configuration key '{key}' is a secret: a path inside it cannot be set");
        switch (container, segments[i])
        {
            case (YamlMappingNode m, string name):
                var existingKey = m.Children.Keys.FirstOrDefault(k => ScalarText(k) == name);
                if (existingKey is null)
                {
                    var newKey = YamlWriter.StringScalar(name);
                    var value = Build(segments, i + 1, leaf);
                    var local = edits.AppendEntry(m, newKey, value);
                    m.Children.Add(newKey, value);
                    return local;
                }
                if (i == segments.Count - 1)
                {
                    var local = PlanReplace(edits, m.Children[existingKey], leaf);
                    m.Children[existingKey] = leaf;
                    return local;
                }
                return SetInside(m.Children[existingKey], segments, i + 1, leaf, key, edits);
            case (YamlSequenceNode s, int index):
                if (index > s.Children.Count)
                    throw new ConfigException($"configuration key '{key}': array index {index} is out of range (the array has {s.Children.Count} elements)");
                if (index == s.Children.Count)
                {
                    s.Children.Add(Build(segments, i + 1, leaf));
                    return false;
                }
                if (i == segments.Count - 1)
                {
                    var local = PlanReplace(edits, s.Children[index], leaf);
                    s.Children[index] = leaf;
                    return local;
                }
                return SetInside(s.Children[index], segments, i + 1, leaf, key, edits);
            default:
                var what = segments[i] is int ? "an array" : "an object";
                throw new ConfigException($"configuration key '{key}': the value at '{segments[i]}' is not inside {what}");
        }
    }

    private static bool PlanReplace(TextEdits edits, YamlNode old, YamlNode replacement) => (old, replacement) switch
    {
        (YamlScalarNode o, YamlScalarNode n) => edits.ReplaceScalar(o, n),
        _ when YamlValue.TryGetSecure(old, out _) && YamlValue.TryGetSecure(replacement, out _) =>
            edits.ReplaceScalar((YamlScalarNode)((YamlMappingNode)old).Children.Values.First(),
                (YamlScalarNode)((YamlMappingNode)replacement).Children.Values.First()),
        _ => false,
    };

    private static YamlNode? Navigate(YamlNode node, IEnumerable<object> segments)
    {
        YamlNode? current = node;
        foreach (var segment in segments)
        {
            current = (current, segment) switch
            {
                (YamlMappingNode m, string name) => m.Children.FirstOrDefault(kv => ScalarText(kv.Key) == name).Value,
                (YamlSequenceNode s, int i) when i < s.Children.Count => s.Children[i],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }

    private static void Save(StackFile file, TextEdits edits, bool local)
    {
        var intended = YamlWriter.Write(file.Root);
        var text = intended;
        if (local && file.Exists)
        {
            var edited = edits.Apply();
            // The edit is only kept when it reads back as exactly the intended tree.
            if (Reparse(file.Path, edited) is { } reread && YamlWriter.Write(reread) == intended) text = edited;
        }
        AtomicWrite(file.Path, text);
    }

    private static YamlMappingNode? Reparse(string path, string text)
    {
        try
        {
            return LoadRoot(path, text) as YamlMappingNode;
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    internal static void AtomicWrite(string path, string text) =>
        AtomicFile.Write(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)));
}
