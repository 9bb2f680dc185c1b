using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Tests.Providers.Registry;

/// <summary>An image a test built and pushed itself: its manifest bytes and digest, and its blobs.</summary>
internal sealed record PushedImage(string Repository, string Tag, string Digest, string MediaType, byte[] ManifestBytes,
    IReadOnlyList<(string Digest, byte[] Bytes)> Blobs, IReadOnlyList<PushedImage> Children)
{
    public IEnumerable<(string Digest, byte[] Bytes)> AllBlobs => Blobs.Concat(Children.SelectMany(c => c.AllBlobs));
}

/// <summary>Builds small images (config + layer + OCI manifest, or an OCI index of two platforms) and pushes them with
/// plain HTTP, independently of the product's client: <c>POST /blobs/uploads/</c> → <c>PUT &lt;Location&gt;&amp;digest=</c>,
/// then <c>PUT /manifests/&lt;tag&gt;</c>.</summary>
internal static class TestImages
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<PushedImage> PushImageAsync(Uri registry, string repository, string? tag, int layerBytes = 2048,
        string architecture = "amd64", bool docker = false)
    {
        var (manifestType, configType, layerType) = docker
            ? (ManifestMediaTypes.DockerManifest, "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip")
            : (ManifestMediaTypes.OciManifest, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip");
        var layer = RandomNumberGenerator.GetBytes(layerBytes);
        var config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"{{{architecture}}}","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{Digests.Sha256(layer)}}}"]},"config":{"Env":["PATH=/usr/bin"]}}""");
        await PushBlobAsync(registry, repository, config);
        await PushBlobAsync(registry, repository, layer);
        // Indented on purpose: a copier that re-serialised the manifest would change its digest.
        var manifest = Encoding.UTF8.GetBytes($$"""
            {
               "schemaVersion": 2,
               "mediaType": "{{manifestType}}",
               "config": { "mediaType": "{{configType}}", "digest": "{{Digests.Sha256(config)}}", "size": {{config.Length}} },
               "layers": [
                  { "mediaType": "{{layerType}}", "digest": "{{Digests.Sha256(layer)}}", "size": {{layer.Length}} }
               ],
               "annotations": { "org.opencontainers.image.title": "edgeinfra test {{architecture}}" }
            }
            """);
        var digest = Digests.Sha256(manifest);
        await PutManifestAsync(registry, repository, tag ?? digest, manifest, manifestType);
        return new PushedImage(repository, tag ?? digest, digest, manifestType, manifest,
            [(Digests.Sha256(config), config), (Digests.Sha256(layer), layer)], []);
    }

    /// <summary>An OCI index over an amd64 and an arm64 image: children pushed by digest, the index by tag.</summary>
    /// <param name="docker">A Docker manifest list over Docker schema 2 manifests instead.</param>
    public static async Task<PushedImage> PushIndexAsync(Uri registry, string repository, string tag, bool docker = false)
    {
        var amd64 = await PushImageAsync(registry, repository, null, 3000, "amd64", docker);
        var arm64 = await PushImageAsync(registry, repository, null, 5000, "arm64", docker);
        var (indexType, childType) = docker
            ? (ManifestMediaTypes.DockerManifestList, ManifestMediaTypes.DockerManifest)
            : (ManifestMediaTypes.OciIndex, ManifestMediaTypes.OciManifest);
        var index = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{indexType}}}","manifests":[
              {"mediaType":"{{{childType}}}","digest":"{{{amd64.Digest}}}","size":{{{amd64.ManifestBytes.Length}}},"platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"{{{childType}}}","digest":"{{{arm64.Digest}}}","size":{{{arm64.ManifestBytes.Length}}},"platform":{"architecture":"arm64","os":"linux"}}]}
            """);
        await PutManifestAsync(registry, repository, tag, index, indexType);
        return new PushedImage(repository, tag, Digests.Sha256(index), indexType, index, [], [amd64, arm64]);
    }

    /// <summary>GET a manifest's raw bytes with every manifest type accepted, and the digest header; null on 404.</summary>
    public static async Task<(byte[] Bytes, string? Digest, string? ContentType)?> GetManifestAsync(Uri registry, string repository,
        string reference, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"/v2/{repository}/manifests/{reference}"));
        foreach (var t in ManifestMediaTypes.All) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(t));
        request.Headers.Authorization = auth;
        using var response = await Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(),
            response.Headers.TryGetValues("Docker-Content-Digest", out var d) ? d.First() : null,
            response.Content.Headers.ContentType?.MediaType);
    }

    public static async Task<byte[]?> GetBlobAsync(Uri registry, string repository, string digest, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"/v2/{repository}/blobs/{digest}"));
        request.Headers.Authorization = auth;
        using var response = await Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    internal static async Task PushBlobAsync(Uri registry, string repository, byte[] blob)
    {
        using var start = await Http.PostAsync(new Uri(registry, $"/v2/{repository}/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(registry, start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await Http.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(Digests.Sha256(blob))), content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"blob PUT answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
    }

    internal static async Task PutManifestAsync(Uri registry, string repository, string reference, byte[] manifest, string mediaType)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await Http.PutAsync(new Uri(registry, $"/v2/{repository}/manifests/{reference}"), content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"manifest PUT answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
    }
}
