using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Tests.Components;
using EdgeInfra.Tests.Providers.Registry;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace EdgeInfra.Tests.Providers.Registry.Signatures;

/// <summary>A signing key as <c>cosign sign --key</c> uses it: its public PEM (cosign.pub) and how it signs a payload.</summary>
internal sealed record CosignKey(string PublicPem, Func<byte[], byte[]> Sign)
{
    /// <summary>cosign's ECDSA P-256 test key (<c>Fixtures/Cosign/ecdsa-p256.key</c>): SHA-256, ASN.1 DER signature.</summary>
    public static CosignKey FixtureEcdsa() => Ecdsa(File.ReadAllText(Fixture("ecdsa-p256.key")));

    /// <summary>cosign's Ed25519 test key (<c>Fixtures/Cosign/ed25519.key</c>): pure Ed25519 over the payload.</summary>
    public static CosignKey FixtureEd25519()
    {
        var pem = File.ReadAllText(Fixture("ed25519.key"));
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var key = (Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(der);
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetDerEncoded();
        return new CosignKey(PemEncoding.WriteString("PUBLIC KEY", spki), payload =>
        {
            var signer = new Ed25519Signer();
            signer.Init(true, key);
            signer.BlockUpdate(payload, 0, payload.Length);
            return signer.GenerateSignature();
        });
    }

    /// <summary>A P-256 key nobody configured: a foreign signer.</summary>
    public static CosignKey ForeignEcdsa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Ecdsa(key.ExportPkcs8PrivateKeyPem());
    }

    private static CosignKey Ecdsa(string privatePem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(privatePem);
        return new CosignKey(key.ExportSubjectPublicKeyInfoPem(),
            payload => key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    public static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "EdgeInfra.Tests", "Fixtures", "Cosign", name);
}

/// <summary>Stores a cosign signature of an image digest in a registry the way cosign does: the simple-signing payload
/// as a layer blob, its base64 signature in the layer annotation, an OCI manifest tagged <c>sha256-&lt;hex&gt;.sig</c>.</summary>
internal static class CosignSignatures
{
    public static string Payload(string dockerReference, string digest) =>
        $$"""{"critical":{"identity":{"docker-reference":"{{dockerReference}}"},"image":{"docker-manifest-digest":"{{digest}}"},"type":"cosign container image signature"},"optional":null}""";

    /// <param name="signedDigest">The digest the payload names (the image's own unless a test forges another).</param>
    public static async Task PushAsync(Uri registry, string repository, string digest, CosignKey key, string? signedDigest = null)
    {
        var payload = Encoding.UTF8.GetBytes(Payload($"registry.example.com/{repository}", signedDigest ?? digest));
        var signature = Convert.ToBase64String(key.Sign(payload));
        var config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["{{{Digests.Sha256(payload)}}}"]},"config":{}}""");
        await TestImages.PushBlobAsync(registry, repository, payload);
        await TestImages.PushBlobAsync(registry, repository, config);
        var manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OciManifest + "\"," +
            $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":{config.Length},\"digest\":\"{Digests.Sha256(config)}\"}}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":{payload.Length},\"digest\":\"{Digests.Sha256(payload)}\"," +
            $"\"annotations\":{{\"dev.cosignproject.cosign/signature\":\"{signature}\"}}}}]}}");
        await TestImages.PutManifestAsync(registry, repository, digest.Replace(':', '-') + ".sig", manifest, ManifestMediaTypes.OciManifest);
    }
}
