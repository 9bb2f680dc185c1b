using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Service;
using EdgeInfra.StackInputs.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Tests.Service;

/// <summary>The service's bearer-token roles, over a real Kestrel on a loopback port.</summary>
public sealed class ServiceAuthTests
{
    private const string ViewerToken = "viewer-0123456789abcdefghijkl";
    private const string OperatorToken = "operator-0123456789abcdefghijkl";

    private static readonly ServiceSettings Tokens = new(
    [
        new ServiceTokenSpec("dashboard", ServiceRole.Viewer, SHA256.HashData(Encoding.UTF8.GetBytes(ViewerToken))),
        new ServiceTokenSpec("ci", ServiceRole.Operator, SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken))),
    ]);

    [Theory]
    [InlineData("GET", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "not-a-token-0123456789abcdefgh", HttpStatusCode.Unauthorized)]
    [InlineData("GET", ViewerToken, HttpStatusCode.OK)]
    [InlineData("GET", OperatorToken, HttpStatusCode.OK)]
    [InlineData("POST", null, HttpStatusCode.Unauthorized)]
    [InlineData("POST", ViewerToken, HttpStatusCode.Forbidden)]
    [InlineData("POST", OperatorToken, HttpStatusCode.OK)]
    public async Task Request_Token_GetsItsRolesAnswer(string method, string? token, HttpStatusCode expected)
    {
        await using var app = await StartAsync(Tokens);
        using var http = Client(app, token);

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "api/v1/probe"));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK) Assert.Equal(token == ViewerToken ? "dashboard" : "ci", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_NoTokensOnLoopback_ActsAsLoopbackOperator()
    {
        await using var app = await StartAsync(ServiceSettings.None);
        using var http = Client(app, null);

        using var response = await http.PostAsync("api/v1/probe", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("loopback", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("healthz")]
    [InlineData("metrics")]
    [InlineData("openapi/v1.json")]
    public async Task OperationsEndpoint_NoToken_Answers(string path)
    {
        await using var app = await StartAsync(Tokens);
        using var http = Client(app, null);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_ReadinessProblem_Answers503WithTheProblem()
    {
        await using var app = await StartAsync(Tokens, _ => Task.FromResult<IReadOnlyList<string>>(["hub unreachable: connection refused"]));
        using var http = Client(app, null);

        using var response = await http.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("hub unreachable: connection refused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoTokensBeyondLoopback_Refuses()
    {
        var options = new ServiceOptions("prod", ListenAddress.TryParse("0.0.0.0:0")!, ServiceSettings.None);

        var e = Assert.Throws<ServiceStartException>(() => ServiceApp.Create(options, null, MapProbe));

        Assert.Contains("refusing to listen on 0.0.0.0:0 with no token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MutatingRouteInTheReadGroup_Refuses()
    {
        var options = new ServiceOptions("prod", ListenAddress.TryParse("127.0.0.1:0")!, Tokens);

        var e = Assert.Throws<InvalidOperationException>(() => ServiceApp.Create(options, null, (read, _) => read.MapDelete("/oops", () => "gone")));

        Assert.Contains("DELETE /api/v1/oops", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080", true)]
    [InlineData("localhost:9000", "127.0.0.1:9000", true)]
    [InlineData("[::1]:8080", "[::1]:8080", true)]
    [InlineData("0.0.0.0:80", "0.0.0.0:80", false)]
    [InlineData("::1", null, false)]
    [InlineData("8080", null, false)]
    [InlineData("127.0.0.1:99999", null, false)]
    [InlineData("example.com:80", null, false)]
    public void TryParse_ListenText_GivesAddressOrNull(string text, string? expected, bool loopback)
    {
        var address = ListenAddress.TryParse(text);

        Assert.Equal(expected, address?.ToString());
        Assert.Equal(loopback, address?.IsLoopback ?? false);
    }

    private static Task<IReadOnlyList<string>> Ready(CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

    private static void MapProbe(RouteGroupBuilder read, RouteGroupBuilder act)
    {
        read.MapGet("/probe", (HttpContext c) => c.User.Identity!.Name);
        act.MapPost("/probe", (HttpContext c) => c.User.Identity!.Name);
    }

    private static async Task<WebApplication> StartAsync(ServiceSettings settings, Func<CancellationToken, Task<IReadOnlyList<string>>>? readiness = null)
    {
        var app = ServiceApp.Create(new ServiceOptions("prod", ListenAddress.TryParse("127.0.0.1:0")!, settings, readiness ?? Ready), null, MapProbe);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.First() + "/") };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
