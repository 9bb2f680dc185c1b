using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>A stack's validated configuration: the stack file's values merged with Pulumi.yaml defaults.</summary>
/// <remarks>Secrets stay encrypted until asked for; the passphrase key is derived on the first decryption only.</remarks>
public sealed class StackConfig : IStackConfig
{
    private readonly Dictionary<string, ConfigEntry> _entries;
    private readonly IReadOnlyDictionary<string, ConfigSchemaEntry> _schema;

    internal StackConfig(
        string project, string stack, string stackFile, IEnumerable<ConfigEntry> entries, PassphraseSecretsManager? secrets,
        IReadOnlyDictionary<string, ConfigSchemaEntry>? schema = null)
    {
        _schema = schema ?? new Dictionary<string, ConfigSchemaEntry>();
        Project = project;
        Stack = stack;
        StackFile = stackFile;
        _entries = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
        SecretsManager = secrets;
    }

    public string Project { get; }
    public string Stack { get; }

    /// <summary>The path of <c>Pulumi.&lt;stack&gt;.yaml</c> (which may not exist for a stack of defaults only).</summary>
    public string StackFile { get; }

    /// <summary>The stack's secrets manager, or null when its file has no <c>encryptionsalt</c>.</summary>
    public ISecretsManager? Secrets => SecretsManager;

    internal PassphraseSecretsManager? SecretsManager { get; }

    public IReadOnlyCollection<ConfigEntry> Entries => _entries.Values;

    /// <summary>The entry for a key; a bare key is namespaced to the project.</summary>
    public ConfigEntry? Get(string key) => _entries.GetValueOrDefault(ConfigKeys.Qualify(key, Project));

    public string GetSecret(string key)
    {
        var entry = Get(key) ?? throw new ConfigException($"Stack '{Stack}' has no configuration value '{ConfigKeys.Qualify(key, Project)}'");
        return YamlValue.Text(entry.Value, Decrypt);
    }

    /// <summary>The value as JSON with nested secure values decrypted; null when unset.</summary>
    /// <remarks>A top-level scalar is a string to Pulumi, so it is typed by the schema (<c>"3"</c> of an integer key
    /// is 3, <c>"true"</c> of a boolean key is true) and otherwise by YAML (see <see cref="YamlValue.ToJson"/>).</remarks>
    public JsonNode? GetJson(string key)
    {
        if (Get(key) is not { } entry) return null;
        if (entry.Value is YamlScalarNode s && _schema.TryGetValue(entry.Key, out var schema))
        {
            var text = s.Value ?? "";
            switch (schema.Type)
            {
                case "string": return JsonValue.Create(text);
                case "integer" when long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var l): return JsonValue.Create(l);
                case "boolean" when text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE": return JsonValue.Create(text[0] is 't' or 'T');
            }
        }
        return YamlValue.ToJson(entry.Value, Decrypt);
    }

    public string Decrypt(string ciphertext) =>
        (SecretsManager ?? throw new ConfigException($"{StackFile}: holds a secure value but no 'encryptionsalt'")).Decrypt(ciphertext);

    /// <summary>Decrypts a <c>{secure: …}</c> node found anywhere in a value.</summary>
    public string DecryptNode(YamlNode secureNode) =>
        YamlValue.TryGetSecure(secureNode, out var ct)
            ? Decrypt(ct)
            : throw new ConfigException(ConfigException.At(StackFile, secureNode.Start.Line, "expected a {secure: …} value"));
}
