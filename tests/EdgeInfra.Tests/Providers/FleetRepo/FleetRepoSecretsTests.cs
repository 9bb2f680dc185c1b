using EdgeInfra.Tests.Fixtures;
using System.Net;
using EdgeInfra.Providers.FleetRepo;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>Credentials for the fleet repo never appear in messages, exceptions or option dumps.</summary>
public sealed class FleetRepoSecretsTests
{
    private const string Token = "ghp_S3cretT0kenValue";

    [Theory]
    [InlineData("https://deploy:" + Token + "@127.0.0.1:{port}/fleet.git")]
    [InlineData("http://" + Token + "@127.0.0.1:{port}/fleet.git")]
    [InlineData("https://deploy:" + "ghp_S3cret%2FT0kenValue" + "@127.0.0.1:{port}/fleet.git")]
    public async Task BeginAsync_UrlWithCredentialsUnreachable_ExceptionNeverShowsThem(string template)
    {
        var port = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = template.Replace("{port}", port, StringComparison.Ordinal);
        using var kit = new FleetRepoTestKit(url);
        var options = kit.Options();

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => kit.Provider(options).BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());

        Assert.StartsWith($"fleet repo {url[..url.IndexOf(':')]}://127.0.0.1:{port}/fleet.git (branch main): fetch failed: ", e.Message);
        Assert.True(e.Message.Length > 80, e.Message);
        AssertNoSecret(e.ToString());
        AssertNoSecret(options.ToString());
        Assert.Null(e.InnerException);
        // The cache's config on disk keeps the URL without its credentials.
        AssertNoSecret(File.ReadAllText(Path.Combine(options.CacheDir, "config")));
    }

    [Fact]
    public async Task BeginAsync_CredentialsObjectUnreachable_ExceptionNeverShowsThem()
    {
        using var kit = new FleetRepoTestKit($"https://127.0.0.1:{LoopbackPort.Free()}/fleet.git");
        using var provider = new FleetRepoProvider(kit.Options(), TimeProvider.System, FleetRepoCredentials.FromToken(Token));

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());

        AssertNoSecret(e.ToString());
        Assert.DoesNotContain(Token, FleetRepoCredentials.FromToken(Token).ToString());
    }

    [Fact]
    public async Task BeginAsync_ServerRejectsCredentials_AuthErrorWithoutThemAndTheyWereSent()
    {
        var port = LoopbackPort.Free();
        using var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var serving = Task.Run(async () =>
        {
            while (server.IsListening)
            {
                HttpListenerContext context;
                try { context = await server.GetContextAsync(); }
                catch (HttpListenerException) { return; }
                catch (ObjectDisposedException) { return; }
                seen.Add(context.Request.Headers["Authorization"] ?? "");
                context.Response.StatusCode = 401;
                context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"fleet\"");
                context.Response.Close();
            }
        });
        using var kit = new FleetRepoTestKit($"http://127.0.0.1:{port}/fleet.git");
        using var provider = new FleetRepoProvider(kit.Options(), TimeProvider.System, new FleetRepoCredentials("deploy", Token));

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());
        server.Stop();
        await serving;

        Assert.EndsWith("(check the fleet repo credentials)", e.Message);
        AssertNoSecret(e.ToString());
        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"deploy:{Token}"));
        Assert.Contains(basic, seen);
    }

    [Theory]
    [InlineData("failed: https://user:pa55word@host/x.git 401", "failed: https://***@host/x.git 401")]
    [InlineData("ssh://git@host/x and git://h/y", "ssh://***@host/x and git://h/y")]
    [InlineData("said pa55word twice: pa55word", "said *** twice: ***")]
    public void Scrub_TextWithSecrets_RemovesThem(string text, string expected)
    {
        var remote = FleetRepoRemote.Resolve("https://user:pa55word@host/x.git", null);

        Assert.Equal(expected, remote.Scrub(text));
        Assert.Equal("https://host/x.git", remote.Url);
        Assert.Equal("user", remote.Credentials!.Username);
        Assert.Equal("pa55word", remote.Credentials.Password);
    }

    [Theory]
    [InlineData("/srv/fleet.git", "Local", "/srv/fleet.git")]
    [InlineData("file:///srv/fleet.git", "Local", "/srv/fleet.git")]
    [InlineData("git://127.0.0.1:9418/fleet.git", "Git", "git://127.0.0.1:9418/fleet.git")]
    [InlineData("https://git.example.test/edge/fleet.git", "Http", "https://git.example.test/edge/fleet.git")]
    [InlineData("ssh://git@git.example.test/edge/fleet.git", "Ssh", "ssh://git@git.example.test/edge/fleet.git", "ssh://***@git.example.test/edge/fleet.git")]
    [InlineData("git@git.example.test:edge/fleet.git", "Ssh", "git@git.example.test:edge/fleet.git")]
    public void Resolve_SupportedRemote_KnowsTransportAndUrl(string remoteUrl, string transport, string url, string? display = null)
    {
        var remote = FleetRepoRemote.Resolve(remoteUrl, null);

        Assert.Equal(transport, remote.Transport.ToString());
        Assert.Equal(url, remote.Url);
        Assert.Equal(display ?? url, remote.Display);
    }

    [Fact]
    public void Resolve_UnsupportedScheme_ThrowsWithoutCredentials()
    {
        var e = Assert.Throws<FleetRepoException>(() => FleetRepoRemote.Resolve($"ftp://u:{Token}@host/x", null));

        Assert.Contains("ftp", e.Message);
        AssertNoSecret(e.Message);
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain("S3cret", text);
        Assert.DoesNotContain("deploy:", text);
    }
}
