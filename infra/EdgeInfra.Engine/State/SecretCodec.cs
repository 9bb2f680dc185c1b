using System.Text.Json;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.Engine.State;

/// <summary>Encrypts secret property values the way Pulumi does: the ciphertext is the encrypted JSON encoding of the value.</summary>
internal sealed class SecretCodec(ISecretsManager? secrets)
{
    public const string SigKey = "4dabf18193072939515e22adb298388d";
    public const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";

    public bool CanEncrypt => secrets is not null;
    public ISecretsManager? Manager => secrets;

    public string Encrypt(string stack, string plaintext) =>
        (secrets ?? throw Missing(stack)).Encrypt(JsonSerializer.Serialize(plaintext, StateJsonContext.Default.String));

    public string Decrypt(string stack, string ciphertext)
    {
        var json = (secrets ?? throw Missing(stack)).Decrypt(ciphertext);
        return JsonSerializer.Deserialize(json, StateJsonContext.Default.String) ?? "";
    }

    public static InputException Missing(string stack) => new(
        $"stack {stack} has secret values but no passphrase is available; set EDGEINFRA_CONFIG_PASSPHRASE " +
        "(or PULUMI_CONFIG_PASSPHRASE) so they can be encrypted and decrypted");
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StateJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
