namespace EdgeInfra.StackInputs.Config;

/// <summary>Where EdgeInfra reaches an upstream registry that image names refer to by host, and its credentials.</summary>
/// <param name="Host">The registry host as image names spell it (e.g. <c>registry.example.com</c>, <c>docker.io</c>).</param>
/// <param name="Url">The distribution API's base URL (its <c>/v2/</c> is below it).</param>
/// <param name="AuthConfigKey">The secret config key holding <c>user:password</c> for pulling, or null for anonymous.</param>
public sealed record UpstreamRegistry(string Host, Uri Url, string? AuthConfigKey);
