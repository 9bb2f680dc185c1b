using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>One resolved configuration value of a stack, with where it came from.</summary>
/// <param name="Key">Fully namespaced key, e.g. <c>edge-infra:rings</c>.</param>
/// <param name="Value">The YAML value (scalar, sequence or mapping) with line positions for error messages. For a
/// secure value this is the <c>{secure: …}</c> mapping; read the plaintext with <see cref="IStackConfig.GetSecret"/>.</param>
/// <param name="File">The file the value came from (the stack file, or Pulumi.yaml for a schema default).</param>
public sealed record ConfigEntry(string Key, YamlNode Value, bool IsSecure, string File)
{
    public int Line => (int)Value.Start.Line;
}

/// <summary>A stack's configuration after merging Pulumi.yaml defaults and type checks.</summary>
public interface IStackConfig
{
    string Project { get; }
    string Stack { get; }
    IReadOnlyCollection<ConfigEntry> Entries { get; }
    ConfigEntry? Get(string key);

    /// <summary>Decrypts a secure value (throws a clear error naming the key when no passphrase is available).</summary>
    string GetSecret(string key);

    /// <summary>Decrypts one <c>secure:</c> ciphertext of this stack, e.g. a <c>{secure: …}</c> nested inside an object.</summary>
    string Decrypt(string ciphertext);

    /// <summary>The value as JSON (see <see cref="YamlValue.ToJson"/>) with nested secure values decrypted; null when unset.</summary>
    JsonNode? GetJson(string key) => Get(key) is { } e ? YamlValue.ToJson(e.Value, Decrypt) : null;
}
