using System.Security.Cryptography;
using System.Text;

namespace EdgeInfra.Engine.State;

/// <summary>A codec that replaces secrets by their SHA-256, for naming content by hash only (never written): encrypted
/// values change with every nonce, so stored content is named by its secret-free form.</summary>
internal sealed class HashingCodec : Config.ISecretsManager
{
    public static readonly SecretCodec Instance = new(new HashingCodec());
    public string Type => "hash";
    public string StateJson => "{}";
    public string Encrypt(string plaintext) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));
    public string Decrypt(string ciphertext) => throw new InvalidOperationException("hash-only codec");
}
