namespace EdgeInfra.Providers.Registry;

/// <summary>A reference from a manifest to content by digest: a config or layer blob, or an index's child manifest.</summary>
/// <param name="Urls">Where a foreign layer lives instead of the registry (Docker's non-distributable layers); empty for others.</param>
public sealed record OciDescriptor(string MediaType, string Digest, long Size, IReadOnlyList<string> Urls);
