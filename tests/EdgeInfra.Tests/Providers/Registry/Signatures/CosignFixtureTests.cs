using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeInfra.Providers.Registry.Signatures;

namespace EdgeInfra.Tests.Providers.Registry.Signatures;

/// <summary>The key and signature checks against material cosign made itself (<c>Fixtures/Cosign</c>, see its NOTICE).</summary>
public sealed class CosignFixtureTests
{
    [Fact]
    public void Verify_SignatureCosignMadeWithItsKey_Verifies()
    {
        var key = CosignPublicKey.Parse(File.ReadAllText(CosignKey.Fixture("dsse-attestation.pub")));
        var (signed, signature) = CosignDsse();

        Assert.Equal("ecdsa-p256", key.Algorithm);
        Assert.True(key.Verify(signed, signature));
    }

    [Fact]
    public void Verify_CosignSignatureOverOneChangedByte_Refused()
    {
        var key = CosignPublicKey.Parse(File.ReadAllText(CosignKey.Fixture("dsse-attestation.pub")));
        var (signed, signature) = CosignDsse();
        signed[^2] ^= 1;

        Assert.False(key.Verify(signed, signature));
    }

    [Fact]
    public void Verify_CosignSignatureCheckedWithAnotherKey_Refused()
    {
        var other = CosignPublicKey.Parse(CosignKey.FixtureEcdsa().PublicPem);
        var (signed, signature) = CosignDsse();

        Assert.False(other.Verify(signed, signature));
    }

    [Theory]
    [InlineData("ecdsa", "ecdsa-p256")]
    [InlineData("ed25519", "ed25519")]
    public void Verify_PayloadSignedWithCosignsTestKey_VerifiesOnlyThatPayload(string which, string algorithm)
    {
        var signer = which == "ecdsa" ? CosignKey.FixtureEcdsa() : CosignKey.FixtureEd25519();
        var key = CosignPublicKey.Parse(signer.PublicPem);
        var payload = Encoding.UTF8.GetBytes(CosignSignatures.Payload("registry.example.com/edge/pos-app", "sha256:" + new string('a', 64)));
        var signature = signer.Sign(payload);
        var other = (byte[])payload.Clone();
        other[^5] ^= 1;

        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(key.Verify(payload, signature));
        Assert.False(key.Verify(other, signature));
        Assert.False(key.Verify(payload, [.. signature.Take(signature.Length - 1)]));
    }

    [Fact]
    public void Parse_P384Key_RefusedNamingTheCurve()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var e = Assert.Throws<FormatException>(() => CosignPublicKey.Parse(p384.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("only P-256 is accepted", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")]
    public void Parse_NoPublicKeyBlock_Refused(string pem)
    {
        var e = Assert.Throws<FormatException>(() => CosignPublicKey.Parse(pem));

        Assert.Contains("BEGIN PUBLIC KEY", e.Message);
    }

    [Fact]
    public void Parse_RsaKey_Refused()
    {
        using var rsa = RSA.Create(2048);

        var e = Assert.Throws<FormatException>(() => CosignPublicKey.Parse(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("neither ECDSA P-256 nor Ed25519", e.Message);
    }

    /// <summary>The bytes cosign signed for its DSSE fixture (the pre-authentication encoding of DSSE v1) and its signature.</summary>
    private static (byte[] Signed, byte[] Signature) CosignDsse()
    {
        var envelope = JsonDocument.Parse(Convert.FromBase64String(File.ReadAllText(CosignKey.Fixture("dsse-attestation.envelope.b64")).Trim())).RootElement;
        var type = envelope.GetProperty("payloadType").GetString()!;
        var payload = Convert.FromBase64String(envelope.GetProperty("payload").GetString()!);
        var signature = Convert.FromBase64String(envelope.GetProperty("signatures")[0].GetProperty("sig").GetString()!);
        var pae = Encoding.UTF8.GetBytes($"DSSEv1 {Encoding.UTF8.GetByteCount(type)} {type} {payload.Length} ").Concat(payload).ToArray();
        return (pae, signature);
    }
}
