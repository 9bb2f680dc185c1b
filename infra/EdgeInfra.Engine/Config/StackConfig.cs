using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>A stack's validated configuration: the stack file's values merged with Pulumi.yaml defaults.</summary>
/// <remarks>Secrets stay encrypted until asked for; the passphrase key is derived on the first decryption only.</remarks>
public sealed class StackConfig : IStackConfig
{
    private readonly Dictionary<string, ConfigEntry> _entries;

    internal StackConfig(string project, string stack, string stackFile, IEnumerable<ConfigEntry> entries, PassphraseSecretsManager? secrets)
    {
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

    /// <summary>The value as JSON with nested secure values decrypted (see <see cref="IStackConfig.GetJson"/>); null when unset.</summary>
    public JsonNode? GetJson(string key) => Get(key) is { } e ? YamlValue.ToJson(e.Value, Decrypt) : null;

    public string Decrypt(string ciphertext) =>
        (SecretsManager ?? throw new ConfigException($"{StackFile}: holds a secure value but no 'encryptionsalt'")).Decrypt(ciphertext);

    /// <summary>Decrypts a <c>{secure: …}</c> node found anywhere in a value.</summary>
    public string DecryptNode(YamlNode secureNode) =>
        YamlValue.TryGetSecure(secureNode, out var ct)
            ? Decrypt(ct)
            : throw new ConfigException(ConfigException.At(StackFile, secureNode.Start.Line, "expected a {secure: …} value"));
}
