using System.Text.Json;

namespace EdgeInfra.Providers.Registry.Signatures;

/// <summary>The payload cosign signs for a container image, in the Red Hat "simple signing" format:
/// <c>{"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":"sha256:…"},"type":"cosign container image signature"},"optional":…}</c>.</summary>
/// <remarks>The signature covers these exact bytes; the digest inside them is what binds a detached signature to one image.</remarks>
public sealed record SimpleSigningPayload(string ManifestDigest, string? DockerReference, string Type)
{
    /// <summary>The media type of the payload layer in a cosign signature manifest.</summary>
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The <c>critical.type</c> of an image signature.</summary>
    public const string ImageSignatureType = "cosign container image signature";

    /// <exception cref="FormatException">Not a simple-signing payload naming a manifest digest.</exception>
    public static SimpleSigningPayload Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray());
            if (!doc.RootElement.TryGetProperty("critical", out var critical) || critical.ValueKind != JsonValueKind.Object)
                throw new FormatException("the payload has no 'critical' section");
            var digest = critical.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.Object &&
                         image.TryGetProperty("docker-manifest-digest", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()!
                : throw new FormatException("the payload names no critical.image.docker-manifest-digest");
            var reference = critical.TryGetProperty("identity", out var identity) && identity.ValueKind == JsonValueKind.Object &&
                            identity.TryGetProperty("docker-reference", out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString()
                : null;
            var type = critical.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            return new SimpleSigningPayload(digest, reference, type);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the payload is not JSON: {e.Message}", e);
        }
    }
}
