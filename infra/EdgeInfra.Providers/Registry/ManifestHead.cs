namespace EdgeInfra.Providers.Registry;

/// <summary>What a manifest HEAD answered: the manifest's digest, media type and size.</summary>
/// <param name="Digest">The <c>Docker-Content-Digest</c> header; null when the registry did not send one.</param>
public sealed record ManifestHead(string? Digest, string? MediaType, long? Size);
