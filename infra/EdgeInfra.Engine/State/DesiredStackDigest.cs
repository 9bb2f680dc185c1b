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
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("stack", desired.Stack);
            w.WriteString("project", desired.Project);
            w.WriteStartObject("outputs");
            foreach (var (k, v) in desired.Outputs) w.WriteString(k, v);
            w.WriteEndObject();
            w.WritePropertyName("resources");
            DesiredStackJson.WriteChunk(w, desired.Resources, HashingCodec.Instance, desired.Stack);
            w.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
