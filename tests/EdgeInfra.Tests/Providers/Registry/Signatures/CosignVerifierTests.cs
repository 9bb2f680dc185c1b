using EdgeInfra.Providers.Registry;
using EdgeInfra.Providers.Registry.Signatures;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.Registry.Signatures;

/// <summary>The cosign signature check against a real docker-registry holding signed and unsigned images.</summary>
[Collection(RegistryCollection.Name)]
public sealed class CosignVerifierTests(RegistryFixture registries) : IDisposable
{
    private readonly RegistryClientPool _pool = new(new RegistryClientOptions(Attempts: 2, BaseDelay: TimeSpan.FromMilliseconds(20)));
    private readonly string _repo = RegistryFixture.NewRepository();

    public void Dispose() => _pool.Dispose();

    private RegistryClient Upstream => _pool.For(registries.Upstream.Endpoint("upstream"));

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("ed25519")]
    public async Task VerifyAsync_SignedWithTheKey_Verified(string which)
    {
        var signer = which == "ecdsa" ? CosignKey.FixtureEcdsa() : CosignKey.FixtureEd25519();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        await CosignSignatures.PushAsync(registries.Upstream.Url, _repo, image.Digest, signer);

        var check = await CosignVerifier.VerifyAsync(Upstream, _repo, image.Digest, CosignPublicKey.Parse(signer.PublicPem), default);

        Assert.True(check.Verified, check.Detail);
        Assert.StartsWith($"signed by the {(which == "ecdsa" ? "ecdsa-p256" : "ed25519")} key sha256:", check.Detail);
    }

    [Fact]
    public async Task VerifyAsync_Unsigned_RefusedNamingTheSignatureTag()
    {
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");

        var check = await CosignVerifier.VerifyAsync(Upstream, _repo, image.Digest, CosignPublicKey.Parse(CosignKey.FixtureEcdsa().PublicPem), default);

        Assert.False(check.Verified);
        Assert.Equal($"unsigned: {_repo} has no signature sha256-{image.Digest[7..]}.sig", check.Detail);
    }

    [Fact]
    public async Task VerifyAsync_SignedByAForeignKey_Refused()
    {
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        await CosignSignatures.PushAsync(registries.Upstream.Url, _repo, image.Digest, CosignKey.ForeignEcdsa());

        var check = await CosignVerifier.VerifyAsync(Upstream, _repo, image.Digest, CosignPublicKey.Parse(CosignKey.FixtureEcdsa().PublicPem), default);

        Assert.False(check.Verified);
        Assert.Contains("not signed by the configured key", check.Detail);
        Assert.Contains("a signature the ecdsa-p256 key sha256:", check.Detail);
    }

    [Fact]
    public async Task VerifyAsync_SignatureOfOtherBytesUnderThisDigestsTag_Refused()
    {
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        var other = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.0");
        var signer = CosignKey.FixtureEcdsa();
        await CosignSignatures.PushAsync(registries.Upstream.Url, _repo, image.Digest, signer, signedDigest: other.Digest);

        var check = await CosignVerifier.VerifyAsync(Upstream, _repo, image.Digest, CosignPublicKey.Parse(signer.PublicPem), default);

        Assert.False(check.Verified);
        Assert.Contains($"a signature of {other.Digest}, not of {image.Digest}", check.Detail);
    }
}
