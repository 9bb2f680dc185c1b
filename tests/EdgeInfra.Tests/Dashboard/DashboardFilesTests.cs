using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EdgeInfra.Service;
using EdgeInfra.Service.Dashboard;
using EdgeInfra.StackInputs.Config;
using Microsoft.AspNetCore.Builder;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>The dashboard's files as the service serves them from its assembly: types, headers, revalidation, and
/// nothing loaded from anywhere but the service.</summary>
public sealed partial class DashboardFilesTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var tokens = new ServiceSettings([new ServiceTokenSpec("dashboard", ServiceRole.Viewer, System.Security.Cryptography.SHA256.HashData("viewer-0123456789abcdefghijkl"u8))]);
        _app = ServiceApp.Create(new ServiceOptions("lab", ListenAddress.TryParse("127.0.0.1:0")!, tokens), null, (_, _) => { });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First() + "/") };
    }

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("index.html", "text/html")]
    [InlineData("app.css", "text/css")]
    [InlineData("js/app.js", "text/javascript")]
    [InlineData("js/views/rollouts.js", "text/javascript")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task Get_DashboardFile_ServedWithoutATokenWithItsTypeAndAStrictPolicy(string path, string type)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardFiles.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("script-src 'self';", DashboardFiles.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", DashboardFiles.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-cache", Header(response, "Cache-Control"));
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Get_WithTheETagItWasServedWith_Answers304()
    {
        using var first = await _http.GetAsync("js/app.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "js/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await _http.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task EmbeddedFiles_EveryScriptStyleAndImport_IsAnotherEmbeddedFile()
    {
        var files = DashboardFiles.Load(typeof(DashboardFiles).Assembly);
        var missing = new List<string>();
        foreach (var (path, file) in files.Where(f => f.Key != "/"))
        {
            var text = Encoding.UTF8.GetString(file.Body);
            Assert.DoesNotMatch(ExternalUrl(), text);
            foreach (Match m in Reference().Matches(text))
            {
                var target = m.Groups["url"].Value;
                var resolved = new Uri(new Uri("http://service" + path), target).AbsolutePath;
                if (!files.ContainsKey(resolved)) missing.Add($"{path} → {target}");
                using var response = await _http.GetAsync(resolved.TrimStart('/'));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        Assert.Contains("/js/views/overview.js", files.Keys);
        Assert.Empty(missing);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;

    /// <summary>src/href attributes and ES module imports.</summary>
    [GeneratedRegex("""(?:(?:src|href)="|from ')(?<url>[./][^"'#]*)["']""")]
    private static partial Regex Reference();

    /// <summary>Any http(s) URL but the SVG namespace (a name, never fetched).</summary>
    [GeneratedRegex(@"https?://(?!www\.w3\.org/2000/svg)")]
    private static partial Regex ExternalUrl();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }
}
