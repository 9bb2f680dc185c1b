using System.Text.RegularExpressions;

namespace EdgeInfra.Providers.Registry;

/// <summary>An image reference split the way registries and containerd split it: registry host, repository, and a tag or digest.</summary>
/// <param name="Host">The registry host[:port] (e.g. <c>registry.example.com</c>, <c>docker.io</c>).</param>
/// <param name="Repository">The repository path inside the registry (e.g. <c>edge/pos-app</c>, <c>library/nginx</c>).</param>
/// <param name="Reference">A tag (<c>2.4.1</c>) or a digest (<c>sha256:…</c>).</param>
public sealed partial record ImageReference(string Host, string Repository, string Reference)
{
    /// <summary>The registry images without a registry host belong to (containerd's and K3s's default).</summary>
    public const string DockerHub = "docker.io";

    public bool IsDigest => Digests.IsDigest(Reference);

    /// <summary>Parses <c>[host/]repository[:tag|@digest]</c>; <paramref name="defaultTag"/> applies when neither is given.</summary>
    /// <exception cref="FormatException">The text is not an image reference.</exception>
    public static ImageReference Parse(string text, string defaultTag = "latest")
    {
        var rest = text.Trim();
        string? reference = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            reference = rest[(at + 1)..];
            rest = rest[..at];
            if (!Digests.IsDigest(reference)) throw new FormatException($"image '{text}': '{reference}' is not a sha256 digest");
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        // As in containerd: the first component names a registry only when it looks like a host.
        var first = slash < 0 ? "" : rest[..slash];
        var host = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first
            : DockerHub;
        var path = host == DockerHub && first != DockerHub ? rest : rest[(slash + 1)..];
        var colon = path.LastIndexOf(':');
        if (colon >= 0)
        {
            var tag = path[(colon + 1)..];
            path = path[..colon];
            if (!TagPattern().IsMatch(tag)) throw new FormatException($"image '{text}': '{tag}' is not a valid tag");
            reference ??= tag;
        }
        if (host == DockerHub && !path.Contains('/', StringComparison.Ordinal)) path = "library/" + path;
        if (!RepositoryPattern().IsMatch(path)) throw new FormatException($"image '{text}': '{path}' is not a valid repository name");
        return new ImageReference(host, path, reference ?? defaultTag);
    }

    /// <summary>The same image at another tag or digest.</summary>
    public ImageReference At(string reference) => this with { Reference = reference };

    public override string ToString() => $"{Host}/{Repository}{(IsDigest ? "@" : ":")}{Reference}";

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z")]
    internal static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z")]
    private static partial Regex TagPattern();
}
