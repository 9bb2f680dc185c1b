namespace EdgeInfra.Providers.Registry;

/// <summary>Where one registry's distribution API is served (<c>&lt;BaseUrl&gt;/v2/…</c>) and how to log in to it.</summary>
/// <param name="Name">How messages name the registry (a zone mirror's zone, an upstream's host).</param>
public sealed record RegistryEndpoint(string Name, Uri BaseUrl, RegistryCredentials? Credentials = null)
{
    /// <summary>The URL of an API path (<c>v2/…</c>) below the base URL, keeping any path prefix the base has.</summary>
    public Uri Api(string relative)
    {
        var text = BaseUrl.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + relative : text + "/" + relative);
    }

    /// <summary>True when both endpoints are one registry, so a blob can be mounted across repositories instead of copied.</summary>
    public bool SameRegistryAs(RegistryEndpoint other) =>
        Uri.Compare(BaseUrl, other.BaseUrl, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped,
            StringComparison.OrdinalIgnoreCase) == 0;

    public override string ToString() => $"{Name} ({BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')})";
}
