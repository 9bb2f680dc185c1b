using EdgeInfra.Providers.Registry;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.Registry;

/// <summary>The distribution client against real docker-registry instances: Accept headers, digests, auth, failures.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryClientTests(RegistryFixture registries) : IDisposable
{
    private readonly RegistryClientPool _pool = new(new RegistryClientOptions(Attempts: 2, BaseDelay: TimeSpan.FromMilliseconds(20)));

    [Fact]
    public async Task HeadManifestAsync_OciManifestByTag_ReturnsDigestOfPushedBytes()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "1.0");

        var head = await Upstream.HeadManifestAsync(repo, "1.0", default);

        Assert.NotNull(head);
        Assert.Equal(image.Digest, head.Digest);
        Assert.Equal(ManifestMediaTypes.OciManifest, head.MediaType);
        Assert.Equal(image.ManifestBytes.Length, head.Size);
    }

    [Fact]
    public async Task HeadManifestAsync_OciIndexByTag_ReturnsIndexDigest()
    {
        var repo = RegistryFixture.NewRepository();
        var index = await TestImages.PushIndexAsync(registries.Upstream.Url, repo, "multi");

        var head = await Upstream.HeadManifestAsync(repo, "multi", default);

        Assert.Equal((index.Digest, ManifestMediaTypes.OciIndex), (head?.Digest, head?.MediaType));
    }

    [Theory]
    [InlineData("edge/never-pushed", "1.0")]
    [InlineData("edge/never-pushed", "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task HeadManifestAsync_Missing_ReturnsNull(string repo, string reference)
    {
        Assert.Null(await Upstream.HeadManifestAsync(repo, reference, default));
    }

    [Fact]
    public async Task GetManifestAsync_ByDigest_ReturnsOriginalBytesAndReferences()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "1.0");

        var manifest = await Upstream.GetManifestAsync(repo, image.Digest, default);

        Assert.NotNull(manifest);
        Assert.Equal(image.ManifestBytes, manifest.Bytes);
        Assert.Equal(image.Blobs.Select(b => b.Digest), manifest.Blobs.Select(b => b.Digest));
        Assert.False(manifest.IsIndex);
    }

    [Fact]
    public async Task BlobExistsAsync_PushedAndUnknownBlob_TrueAndFalse()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "1.0");

        Assert.True(await Upstream.BlobExistsAsync(repo, image.Blobs[1].Digest, default));
        Assert.False(await Upstream.BlobExistsAsync(repo, Digests.Sha256([1, 2, 3]), default));
    }

    [Fact]
    public async Task UploadBlobAsync_ThenHead_RegistryServesTheBlob()
    {
        var repo = RegistryFixture.NewRepository();
        byte[] blob = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];

        await Upstream.UploadBlobAsync(repo, blob, default);

        Assert.Equal(blob, await TestImages.GetBlobAsync(registries.Upstream.Url, repo, Digests.Sha256(blob)));
    }

    [Fact]
    public async Task PingAsync_NothingListening_UnreachableAfterRetries()
    {
        var client = _pool.For(new RegistryEndpoint("zone eu-dead mirror", RegistryFixture.DeadUrl()));

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PingAsync(default));

        Assert.Equal(RegistryFailure.Unreachable, e.Failure);
        Assert.Contains("zone eu-dead mirror", e.Message);
        Assert.Contains("after 2 attempts", e.Message);
    }

    [Fact]
    public async Task PingAsync_BasicAuthWithRightCredentials_RegistryAcceptsThem()
    {
        var client = _pool.For(registries.AuthMirror.Endpoint("auth", RegistryFixture.Credentials));

        var ping = await Record.ExceptionAsync(() => client.PingAsync(default));
        // A request only an authenticated client gets an answer to: 404 (no such image), not 401.
        var head = await client.HeadManifestAsync("edge/never-pushed", "1.0", default);

        Assert.Null(ping);
        Assert.Null(head);
    }

    [Fact]
    public async Task PingAsync_BasicAuthWithWrongPassword_RegistryRefusesThem()
    {
        var client = _pool.For(registries.AuthMirror.Endpoint("auth", new RegistryCredentials(RegistryFixture.AuthUser, "not-the-Passw0rd")));

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PingAsync(default));

        Assert.Equal(RegistryFailure.Unauthorized, e.Failure);
    }

    [Fact]
    public async Task PingAsync_BasicAuthWithoutCredentials_UnauthorizedSayingNoneConfigured()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => _pool.For(registries.AuthMirror.Endpoint("auth")).PingAsync(default));

        Assert.Equal(RegistryFailure.Unauthorized, e.Failure);
        Assert.Contains("none are configured", e.Message);
    }

    [Fact]
    public async Task HeadManifestAsync_WrongPassword_UnauthorizedNamingUserButNotPassword()
    {
        const string wrong = "not-the-Passw0rd";
        var client = _pool.For(registries.AuthMirror.Endpoint("auth", new RegistryCredentials(RegistryFixture.AuthUser, wrong)));

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync("edge/x", "1", default));

        Assert.Equal(RegistryFailure.Unauthorized, e.Failure);
        Assert.Contains(RegistryFixture.AuthUser, e.Message);
        Assert.DoesNotContain(wrong, e.ToString());
    }

    private RegistryClient Upstream => _pool.For(registries.Upstream.Endpoint("upstream"));

    public void Dispose() => _pool.Dispose();
}
