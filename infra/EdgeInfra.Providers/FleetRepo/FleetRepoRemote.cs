using System.Text.RegularExpressions;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>How the fleet repo is reached.</summary>
internal enum FleetRepoTransport { Local, Git, Http, Ssh }

/// <summary>A fleet repo remote, resolved: the URL libgit2 is given, the credentials for it, and how to scrub messages.</summary>
/// <remarks>
/// Credentials written into the URL (<c>https://user:token@host/…</c>) are moved out of it into the credentials callback,
/// so the cache repo's config on disk never holds them; every message the provider emits goes through <see cref="Scrub"/>.
/// </remarks>
internal sealed partial class FleetRepoRemote
{
    private readonly string[] _secrets;

    private FleetRepoRemote(FleetRepoTransport transport, string url, string? localPath, FleetRepoCredentials? credentials, string[] secrets)
    {
        Transport = transport;
        Url = url;
        LocalPath = localPath;
        Credentials = credentials;
        _secrets = secrets;
        Display = Scrub(url);
    }

    public FleetRepoTransport Transport { get; }

    /// <summary>The URL handed to libgit2: never contains a password or token.</summary>
    public string Url { get; }

    /// <summary>For a local remote (a path or <c>file://</c>): the absolute path of the bare repo.</summary>
    public string? LocalPath { get; }

    public FleetRepoCredentials? Credentials { get; }

    /// <summary>The remote as it may appear in messages.</summary>
    public string Display { get; }

    public static FleetRepoRemote Resolve(string remoteUrl, FleetRepoCredentials? credentials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(remoteUrl);
        var secrets = new List<string> { remoteUrl };
        if (credentials is not null) secrets.Add(credentials.Password);

        if (ScpLike().IsMatch(remoteUrl))
            return new(FleetRepoTransport.Ssh, remoteUrl, null, credentials, [.. secrets]);

        if (!remoteUrl.Contains("://", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(remoteUrl);
            return new(FleetRepoTransport.Local, path, path, credentials, [.. secrets]);
        }

        if (!Uri.TryCreate(remoteUrl, UriKind.Absolute, out var uri))
            throw new FleetRepoException($"fleet repo remote '{ScrubText(remoteUrl, [.. secrets])}' is not a valid URL");

        var transport = uri.Scheme switch
        {
            "file" => FleetRepoTransport.Local,
            "git" => FleetRepoTransport.Git,
            "http" or "https" => FleetRepoTransport.Http,
            "ssh" => FleetRepoTransport.Ssh,
            _ => throw new FleetRepoException(
                $"fleet repo remote '{ScrubText(remoteUrl, [.. secrets])}' uses scheme '{uri.Scheme}'; use a path, file://, git://, https:// or ssh://"),
        };
        if (transport == FleetRepoTransport.Local)
            return new(transport, uri.LocalPath, uri.LocalPath, credentials, [.. secrets]);

        var url = remoteUrl;
        if (uri.UserInfo.Length > 0)
        {
            var (user, password) = SplitUserInfo(uri.UserInfo);
            if (password.Length > 0) secrets.Add(password);
            // An ssh username (git@host) is not a secret and ssh needs it in the URL; over http a lone userinfo is a token.
            if (password.Length > 0 || transport == FleetRepoTransport.Http)
            {
                if (transport == FleetRepoTransport.Http && password.Length == 0) secrets.Add(user);
                credentials ??= new FleetRepoCredentials(user, password);
                url = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
            }
        }
        return new(transport, url, null, credentials, [.. secrets]);
    }

    /// <summary>Removes every credential this remote knows of, and any URL userinfo, from <paramref name="text"/>.</summary>
    public string Scrub(string text) => ScrubText(text, _secrets);

    private static string ScrubText(string text, string[] secrets)
    {
        // secrets[0] is the URL as configured: it is replaced by itself without userinfo, the rest by ***.
        text = text.Replace(secrets[0], ScrubUserInfo(secrets[0]), StringComparison.Ordinal);
        foreach (var secret in secrets.Skip(1).Where(s => s.Length >= 3).OrderByDescending(s => s.Length))
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return ScrubUserInfo(text);
    }

    private static string ScrubUserInfo(string text) => UserInfo().Replace(text, "$1***@");

    private static (string User, string Password) SplitUserInfo(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), "")
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/@\s]+@")]
    private static partial Regex UserInfo();

    // git's scp-like syntax: [user@]host:path, where host has no slash (a relative path like ./a:b does).
    [GeneratedRegex(@"^(?:[^@/\s:]+@)?[^@/\s:]+:(?!//)")]
    private static partial Regex ScpLike();
}
