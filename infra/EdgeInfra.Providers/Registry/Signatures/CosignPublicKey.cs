using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace EdgeInfra.Providers.Registry.Signatures;

/// <summary>A cosign verification key: an ECDSA P-256 or Ed25519 public key read from PEM (<c>cosign.pub</c>,
/// <c>-----BEGIN PUBLIC KEY-----</c>, SubjectPublicKeyInfo), and how cosign signs with each.</summary>
/// <remarks>cosign signs with ECDSA P-256 over SHA-256 and writes the ASN.1 DER signature; with Ed25519 it signs the
/// payload itself (pure Ed25519, not Ed25519ph). .NET has no Ed25519 API, so that check is BouncyCastle's.</remarks>
public sealed class CosignPublicKey
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECParameters? _ecdsa;
    private readonly Ed25519PublicKeyParameters? _ed25519;

    private CosignPublicKey(byte[] spki, ECParameters? ecdsa, Ed25519PublicKeyParameters? ed25519)
    {
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
        Algorithm = ecdsa is null ? "ed25519" : "ecdsa-p256";
        Fingerprint = Digests.Sha256(spki);
    }

    /// <summary><c>ecdsa-p256</c> or <c>ed25519</c>.</summary>
    public string Algorithm { get; }

    /// <summary>sha256 of the key's SubjectPublicKeyInfo: names the key in audit records without the key itself.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads the first <c>PUBLIC KEY</c> block of <paramref name="pem"/>.</summary>
    /// <exception cref="FormatException">No public key, or one that is neither ECDSA P-256 nor Ed25519.</exception>
    public static CosignPublicKey Parse(string pem)
    {
        byte[]? der = null;
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("PUBLIC KEY"))
            {
                der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                break;
            }
            rest = rest[fields.Location.End..];
        }
        if (der is null) throw new FormatException("no '-----BEGIN PUBLIC KEY-----' block (a cosign.pub file holds one)");

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(der, out _);
            var parameters = ecdsa.ExportParameters(false);
            return parameters.Curve.Oid?.Value == P256Oid
                ? new CosignPublicKey(der, parameters, null)
                : throw new FormatException($"ECDSA key on curve {parameters.Curve.Oid?.FriendlyName ?? parameters.Curve.Oid?.Value ?? "?"}: only P-256 is accepted");
        }
        catch (CryptographicException)
        {
            // Not an EC key: Ed25519, or something this check does not accept.
        }
        try
        {
            return PublicKeyFactory.CreateKey(der) is Ed25519PublicKeyParameters ed25519
                ? new CosignPublicKey(der, null, ed25519)
                : throw new FormatException("the key is neither ECDSA P-256 nor Ed25519");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            throw new FormatException($"not a readable public key: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="signature"/> is this key's signature of exactly <paramref name="payload"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> payload, byte[] signature)
    {
        if (_ecdsa is { } parameters)
        {
            using var ecdsa = ECDsa.Create(parameters);
            try { return ecdsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence); }
            catch (CryptographicException) { return false; }
        }
        var signer = new Ed25519Signer();
        signer.Init(false, _ed25519);
        signer.BlockUpdate(payload.ToArray(), 0, payload.Length);
        return signer.VerifySignature(signature);
    }
}
