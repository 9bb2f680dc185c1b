using System.Collections.Immutable;

namespace EdgeInfra.Components.Model;

/// <summary>A registry zone: the regional mirror its stores pull through, and the upstreams it mirrors.</summary>
/// <param name="Mirror">Mirror endpoint URL (e.g. <c>https://mirror-eu.example.com:5000</c>).</param>
/// <param name="Upstreams">Registry host names redirected to the mirror (e.g. <c>registry.example.com</c>, <c>docker.io</c>).</param>
/// <param name="AuthConfigKey">Stack config key holding the mirror credentials as a secret (<c>user:password</c>), or null.</param>
public sealed record RegistryZone(
    string Name,
    string Mirror,
    ImmutableArray<string> Upstreams,
    string? AuthConfigKey,
    SourceLocation Location);
