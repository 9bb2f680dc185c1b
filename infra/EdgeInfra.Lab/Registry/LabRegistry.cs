using System.Text;
using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Lab.Registry;

/// <summary>The lab's simulated upstream registries: every image tag resolves to a stable manifest digest, the same on
/// every machine and every run, so the lab's releases are pinned like real ones and its rollout shows the whole chain
/// (tag → digest → bundle → commit → audit).</summary>
/// <remarks>The digest is the sha256 of a small OCI image manifest whose config names the image and tag, as a registry
/// would answer a HEAD for it. The lab pulls nothing, so no blob behind it exists.</remarks>
public static class LabRegistry
{
    /// <summary>The manifest the lab's registry serves for <paramref name="image"/> (a tag reference).</summary>
    public static byte[] Manifest(ImageReference image)
    {
        var config = Digests.Sha256(Encoding.UTF8.GetBytes($"edgeinfra-lab {image.Host}/{image.Repository}:{image.Reference}"));
        return Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OciManifest + "\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2}," +
            "\"layers\":[]}");
    }

    /// <summary>The manifest digest the lab's registry answers for <paramref name="image"/>.</summary>
    public static string Digest(ImageReference image) => Digests.Sha256(Manifest(image));
}
