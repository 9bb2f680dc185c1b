using System.Net.Http.Headers;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.Registry;

/// <summary>Copying images by digest between real docker-registry instances.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ImageCopierTests(RegistryFixture registries) : IDisposable
{
    private readonly RegistryClientPool _pool = new(new RegistryClientOptions(Attempts: 2, BaseDelay: TimeSpan.FromMilliseconds(20)));
    private readonly ImageCopier _copier = new(4);

    [Fact]
    public async Task CopyAsync_OciImage_MirrorServesIdenticalBytesAtSameDigest()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.4.1");

        var result = await Copy(repo, "2.4.1", registries.MirrorA, repo);

        Assert.Equal(image.Digest, result.Digest);
        Assert.False(result.AlreadyPresent);
        Assert.Equal((1, 2), (result.ManifestsCopied, result.BlobsCopied));
        Assert.Equal(image.Blobs.Sum(b => (long)b.Bytes.Length), result.BytesCopied);
        await AssertServesAsync(registries.MirrorA.Url, repo, image);
    }

    [Fact]
    public async Task CopyAsync_OciIndex_CopiesChildManifestsAndTheirBlobsThenTheIndex()
    {
        var repo = RegistryFixture.NewRepository();
        var index = await TestImages.PushIndexAsync(registries.Upstream.Url, repo, "3.0.0");

        var result = await Copy(repo, "3.0.0", registries.MirrorA, repo);

        Assert.Equal(index.Digest, result.Digest);
        Assert.Equal((3, 4), (result.ManifestsCopied, result.BlobsCopied));
        await AssertServesAsync(registries.MirrorA.Url, repo, index);
        foreach (var child in index.Children) await AssertServesAsync(registries.MirrorA.Url, repo, child);
    }

    [Fact]
    public async Task CopyAsync_DockerManifestListByTag_CopiedUnchangedNotRewrittenToSchema1()
    {
        var repo = RegistryFixture.NewRepository();
        var list = await TestImages.PushIndexAsync(registries.Upstream.Url, repo, "5.0.0", docker: true);

        var result = await Copy(repo, "5.0.0", registries.MirrorB, repo);

        Assert.Equal((list.Digest, 3, 4), (result.Digest, result.ManifestsCopied, result.BlobsCopied));
        await AssertServesAsync(registries.MirrorB.Url, repo, list);
        foreach (var child in list.Children) await AssertServesAsync(registries.MirrorB.Url, repo, child);
    }

    [Fact]
    public async Task CopyAsync_DockerSchema2ManifestByTag_CopiedUnchanged()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "5.0.1", docker: true);

        var result = await Copy(repo, "5.0.1", registries.MirrorA, repo);

        Assert.Equal(image.Digest, result.Digest);
        await AssertServesAsync(registries.MirrorA.Url, repo, image);
    }

    [Fact]
    public async Task CopyAsync_SecondCopy_SendsOnlyHeadRequests()
    {
        var repo = RegistryFixture.NewRepository();
        var index = await TestImages.PushIndexAsync(registries.Upstream.Url, repo, "1.0.0");
        await Copy(repo, "1.0.0", registries.MirrorB, repo);
        var mirrorMark = await registries.MirrorB.MarkAsync();
        var upstreamMark = await registries.Upstream.MarkAsync();

        var again = await Copy(repo, "1.0.0", registries.MirrorB, repo);

        Assert.True(again.AlreadyPresent);
        Assert.Equal((index.Digest, 0, 0), (again.Digest, again.ManifestsCopied, again.BlobsCopied));
        var mirror = await registries.MirrorB.RequestsSinceAsync(mirrorMark, repo);
        var upstream = await registries.Upstream.RequestsSinceAsync(upstreamMark, repo);
        Assert.Equal([("HEAD", $"/v2/{repo}/manifests/1.0.0")], mirror);
        Assert.Equal([("HEAD", $"/v2/{repo}/manifests/1.0.0")], upstream);
    }

    [Fact]
    public async Task CopyAsync_TagMovedUpstream_CopiesTheNewDigestAndSkipsBlobsTheMirrorHas()
    {
        var repo = RegistryFixture.NewRepository();
        await TestImages.PushImageAsync(registries.Upstream.Url, repo, "stable");
        await Copy(repo, "stable", registries.MirrorA, repo);
        var moved = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "stable", layerBytes: 999);

        var result = await Copy(repo, "stable", registries.MirrorA, repo);

        Assert.Equal(moved.Digest, result.Digest);
        Assert.False(result.AlreadyPresent);
        await AssertServesAsync(registries.MirrorA.Url, repo, moved);
    }

    [Fact]
    public async Task CopyAsync_SameRegistryOtherRepository_MountsBlobsInsteadOfCopying()
    {
        var repo = RegistryFixture.NewRepository();
        var target = RegistryFixture.NewRepository("mirrored");
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "1.2.3");

        var result = await Copy(repo, "1.2.3", registries.Upstream, target);

        Assert.Equal((2, 0), (result.BlobsMounted, result.BlobsCopied));
        await AssertServesAsync(registries.Upstream.Url, target, image);
    }

    [Fact]
    public async Task CopyAsync_IntoMirrorAskingForBasicAuth_LogsInWithConfiguredCredentials()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.0.0");
        var mirror = _pool.For(registries.AuthMirror.Endpoint("auth mirror", RegistryFixture.Credentials));

        var result = await _copier.CopyAsync(_pool.For(registries.Upstream.Endpoint("upstream")), repo, "2.0.0", mirror, repo, default);

        Assert.Equal(image.Digest, result.Digest);
        var basic = new AuthenticationHeaderValue("Basic", RegistryFixture.Credentials.BasicToken);
        await AssertServesAsync(registries.AuthMirror.Url, repo, image, basic);
    }

    [Fact]
    public async Task CopyAsync_BothRegistriesBehindBearerTokenFlow_FetchesTokensWithBasicCredentialsAndCopies()
    {
        var repo = RegistryFixture.NewRepository();
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "4.0.0");
        using var upstreamFront = new BearerTokenFront(registries.Upstream.Url, "puller", "up-Pass");
        using var mirrorFront = new BearerTokenFront(registries.MirrorB.Url, RegistryFixture.AuthUser, RegistryFixture.AuthPassword);
        var source = _pool.For(new RegistryEndpoint("token upstream", upstreamFront.Url, new RegistryCredentials("puller", "up-Pass")));
        var target = _pool.For(new RegistryEndpoint("token mirror", mirrorFront.Url, RegistryFixture.Credentials));

        var result = await _copier.CopyAsync(source, repo, "4.0.0", target, repo, default);

        Assert.Equal((image.Digest, 2), (result.Digest, result.BlobsCopied));
        Assert.True(upstreamFront.TokensIssued > 0 && mirrorFront.TokensIssued > 0);
        await AssertServesAsync(registries.MirrorB.Url, repo, image);
    }

    [Fact]
    public async Task HeadManifestAsync_BearerTokenFlowWrongPassword_UnauthorizedWithoutThePassword()
    {
        using var front = new BearerTokenFront(registries.Upstream.Url, "puller", "up-Pass");
        var client = _pool.For(new RegistryEndpoint("token upstream", front.Url, new RegistryCredentials("puller", "wrong-Pass")));

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync("edge/x", "1", default));

        Assert.Equal(RegistryFailure.Unauthorized, e.Failure);
        Assert.Contains("token service", e.Message);
        Assert.DoesNotContain("wrong-Pass", e.ToString());
    }

    [Fact]
    public async Task CopyAsync_MissingTagUpstream_ThrowsNotFoundNamingRepositoryAndTag()
    {
        var repo = RegistryFixture.NewRepository();

        var e = await Assert.ThrowsAsync<RegistryException>(() => Copy(repo, "9.9.9", registries.MirrorA, repo));

        Assert.Equal(RegistryFailure.NotFound, e.Failure);
        Assert.Contains($"{repo} has no manifest '9.9.9'", e.Message);
    }

    private Task<ImageCopyResult> Copy(string sourceRepo, string reference, RegistryServer target, string targetRepo) =>
        _copier.CopyAsync(_pool.For(registries.Upstream.Endpoint("upstream")), sourceRepo, reference,
            _pool.For(target.Endpoint("mirror")), targetRepo, default);

    /// <summary>The target serves the manifest byte for byte, under the same digest, by tag and by digest, and every blob.</summary>
    private static async Task AssertServesAsync(Uri registry, string repo, PushedImage image, AuthenticationHeaderValue? auth = null)
    {
        foreach (var reference in new[] { image.Tag, image.Digest }.Distinct())
        {
            var got = await TestImages.GetManifestAsync(registry, repo, reference, auth);
            Assert.NotNull(got);
            Assert.Equal(image.ManifestBytes, got.Value.Bytes);
            Assert.Equal(image.Digest, got.Value.Digest);
            Assert.Equal(image.MediaType, got.Value.ContentType);
        }
        foreach (var (digest, bytes) in image.Blobs)
            Assert.Equal(bytes, await TestImages.GetBlobAsync(registry, repo, digest, auth));
    }

    public void Dispose()
    {
        _copier.Dispose();
        _pool.Dispose();
    }
}
