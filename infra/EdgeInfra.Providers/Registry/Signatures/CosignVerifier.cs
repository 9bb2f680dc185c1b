using System.Text.Json;

namespace EdgeInfra.Providers.Registry.Signatures;

/// <summary>What a signature check found: verified by the key, or why not (unsigned, signed by another key, a signature
/// of other bytes).</summary>
public sealed record SignatureCheck(bool Verified, string Detail);

/// <summary>Checks that an image digest carries a cosign signature made by a given key, the way <c>cosign verify --key</c>
/// finds and checks it (sigstore/cosign <c>specs/SIGNATURE_SPEC.md</c>).</summary>
/// <remarks>
/// The signatures of <c>repo@sha256:HEX</c> are an OCI image manifest tagged <c>sha256-HEX.sig</c> in the same
/// repository; each layer is a simple-signing payload blob whose base64 signature is the layer annotation
/// <c>dev.cosignproject.cosign/signature</c>. One layer whose signature the key verifies over the payload's exact bytes,
/// and whose payload names this very digest, is enough: several signers may sign one image.
/// </remarks>
public static class CosignVerifier
{
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>A payload is a small JSON document; anything larger is not one cosign wrote.</summary>
    private const long MaxPayloadBytes = 64 * 1024;

    /// <summary>The tag cosign stores the signatures of <paramref name="digest"/> under: <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    public static string SignatureTag(string digest) => digest.Replace(':', '-') + ".sig";

    /// <exception cref="RegistryException">The registry did not answer, or refused the credentials.</exception>
    public static async Task<SignatureCheck> VerifyAsync(RegistryClient registry, string repository, string digest, CosignPublicKey key,
        CancellationToken ct)
    {
        var tag = SignatureTag(digest);
        var manifest = await registry.GetManifestAsync(repository, tag, ct);
        if (manifest is null) return new SignatureCheck(false, $"unsigned: {repository} has no signature {tag}");
        var problems = new List<string>();
        foreach (var (layerDigest, mediaType, signatureText) in Layers(manifest.Bytes))
        {
            if (mediaType != SimpleSigningPayload.MediaType) continue;
            if (signatureText is null)
            {
                problems.Add($"payload {Short(layerDigest)} has no {SignatureAnnotation} annotation");
                continue;
            }
            byte[] signature;
            try { signature = Convert.FromBase64String(signatureText); }
            catch (FormatException) { problems.Add($"payload {Short(layerDigest)} has a signature that is not base64"); continue; }
            var payload = await registry.GetBlobAsync(repository, layerDigest, MaxPayloadBytes, ct);
            if (payload is null)
            {
                problems.Add($"payload {Short(layerDigest)} is missing from the registry");
                continue;
            }
            if (!key.Verify(payload, signature))
            {
                problems.Add($"a signature the {key.Algorithm} key {Short(key.Fingerprint)} did not make");
                continue;
            }
            SimpleSigningPayload signed;
            try { signed = SimpleSigningPayload.Parse(payload); }
            catch (FormatException e) { problems.Add($"a signed payload that is not simple signing: {e.Message}"); continue; }
            if (signed.ManifestDigest != digest)
            {
                problems.Add($"a signature of {signed.ManifestDigest}, not of {digest}");
                continue;
            }
            if (signed.Type != SimpleSigningPayload.ImageSignatureType)
            {
                problems.Add($"a signed payload of type '{signed.Type}', not '{SimpleSigningPayload.ImageSignatureType}'");
                continue;
            }
            return new SignatureCheck(true, $"signed by the {key.Algorithm} key {Short(key.Fingerprint)}");
        }
        return new SignatureCheck(false, problems.Count == 0
            ? $"unsigned: {tag} holds no simple-signing payload"
            : $"not signed by the configured key: {tag} holds {string.Join("; ", problems)}");
    }

    private static IEnumerable<(string Digest, string MediaType, string? Signature)> Layers(byte[] manifest)
    {
        using var doc = JsonDocument.Parse(manifest);
        if (!doc.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array) return [];
        var result = new List<(string, string, string?)>();
        foreach (var layer in layers.EnumerateArray())
        {
            if (layer.ValueKind != JsonValueKind.Object || !layer.TryGetProperty("digest", out var d) || d.GetString() is not { } digest ||
                !Digests.IsDigest(digest))
                continue;
            var mediaType = layer.TryGetProperty("mediaType", out var m) ? m.GetString() ?? "" : "";
            var signature = layer.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object &&
                            a.TryGetProperty(SignatureAnnotation, out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
            result.Add((digest, mediaType, signature));
        }
        return result;
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] + "…" : digest;
}
