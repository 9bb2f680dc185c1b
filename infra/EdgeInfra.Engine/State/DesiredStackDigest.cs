using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>The SHA-256 of a desired stack as history records it, secret values replaced by their digests: two
/// renderings with the same digest would apply the same resources.</summary>
/// <remarks>Encrypted values change with every nonce, so the digest hashes the secret-free form history names its
/// chunks by.</remarks>
public static class DesiredStackDigest
{
    public static string Compute(DesiredStack desired)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using (var w = new Utf8JsonWriter(buffer)) DesiredStackJson.WriteWhole(w, desired, HashingCodec.Instance);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
