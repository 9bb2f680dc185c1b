using System.Text.Json;

namespace EdgeInfra.Providers.Registry;

/// <summary>One manifest exactly as the registry stored it: its bytes (the digest is over them), media type and the
/// content it references.</summary>
public sealed class Manifest
{
    private Manifest(byte[] bytes, string mediaType, string digest, IReadOnlyList<OciDescriptor> blobs, IReadOnlyList<OciDescriptor> children)
    {
        Bytes = bytes;
        MediaType = mediaType;
        Digest = digest;
        Blobs = blobs;
        Children = children;
    }

    /// <summary>The original bytes; re-serialising would change the digest.</summary>
    public byte[] Bytes { get; }

    public string MediaType { get; }

    /// <summary>sha256 over <see cref="Bytes"/>.</summary>
    public string Digest { get; }

    /// <summary>An image manifest's config and layers (empty for an index).</summary>
    public IReadOnlyList<OciDescriptor> Blobs { get; }

    /// <summary>An index's child manifests (empty for an image manifest).</summary>
    public IReadOnlyList<OciDescriptor> Children { get; }

    public bool IsIndex => ManifestMediaTypes.IsIndex(MediaType);

    /// <summary>Reads a manifest body. The media type comes from the body's <c>mediaType</c> field when the
    /// <c>Content-Type</c> header is missing or generic.</summary>
    /// <exception cref="FormatException">The body is not a JSON manifest.</exception>
    public static Manifest Parse(byte[] bytes, string? contentType)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"manifest is not JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("manifest is not a JSON object");
        var declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
        var mediaType = ManifestMediaTypes.All.Contains(contentType ?? "") ? contentType! : declared
            ?? (root.TryGetProperty("manifests", out _) ? ManifestMediaTypes.OciIndex : ManifestMediaTypes.OciManifest);

        var blobs = new List<OciDescriptor>();
        if (root.TryGetProperty("config", out var config)) blobs.Add(Descriptor(config));
        if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
            blobs.AddRange(layers.EnumerateArray().Select(Descriptor));
        var children = root.TryGetProperty("manifests", out var ms) && ms.ValueKind == JsonValueKind.Array
            ? ms.EnumerateArray().Select(Descriptor).ToList()
            : [];
        return new Manifest(bytes, mediaType, Digests.Sha256(bytes), blobs, children);
    }

    private static OciDescriptor Descriptor(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object ||
            !e.TryGetProperty("digest", out var d) || d.GetString() is not { } digest || !Digests.IsDigest(digest))
            throw new FormatException($"manifest descriptor without a sha256 digest: {e.GetRawText()}");
        var size = e.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : -1;
        var mediaType = e.TryGetProperty("mediaType", out var m) ? m.GetString() ?? "" : "";
        var urls = e.TryGetProperty("urls", out var u) && u.ValueKind == JsonValueKind.Array
            ? u.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
            : [];
        return new OciDescriptor(mediaType, digest, size, urls);
    }
}
