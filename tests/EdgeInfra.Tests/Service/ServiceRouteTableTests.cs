using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeInfra.Automation;
using EdgeInfra.Service;
using EdgeInfra.Service.Auth;
using EdgeInfra.StackInputs.Config;
using EdgeInfra.Tests.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Tests.Service;

/// <summary>Walks the real service's route table with each kind of caller, so a new route cannot forget its role
/// check: a viewer is refused every route that changes something, a caller without a token every API route.</summary>
public sealed class ServiceRouteTableTests : IAsyncLifetime
{
    private const string ViewerToken = "dashboard-viewer-0123456789abcdef";
    private const string OperatorToken = "ops-operator-0123456789abcdefghij";
    private static readonly string[] ReadMethods = ["GET", "HEAD", "OPTIONS"];

    private readonly LabProject _lab = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var settings = new ServiceSettings([
            new ServiceTokenSpec("dashboard", ServiceRole.Viewer, SHA256.HashData(Encoding.UTF8.GetBytes(ViewerToken))),
            new ServiceTokenSpec("ops", ServiceRole.Operator, SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken))),
        ]);
        var stack = EdgeInfraWorkspace.Load(_lab.Dir, TimeProvider.System).Stack("lab");
        _app = StackApi.Create(new ServiceOptions("lab", ListenAddress.TryParse("127.0.0.1:0")!, settings), stack, TimeProvider.System);
        await _app.StartAsync();
    }

    [Fact]
    public async Task MutatingRoute_ViewerToken_Answers403OnEveryOne()
    {
        var mutating = Routes().Where(r => !ReadMethods.Contains(r.Method) && !r.ReadOnly).ToList();
        using var http = Client(ViewerToken);

        var answers = new List<string>();
        foreach (var (method, path, _) in mutating)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
            answers.Add($"{method} {path} {(int)response.StatusCode}");
        }

        // Every route that starts, stops, rolls back, freezes, holds or approves something.
        Assert.True(mutating.Count >= 8, string.Join("\n", answers));
        Assert.All(answers, a => Assert.EndsWith(" 403", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiRoute_NoToken_Answers401OnEveryOne()
    {
        var api = Routes().ToList();
        using var http = Client(null);

        var answers = new List<string>();
        foreach (var (method, path, _) in api)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            answers.Add($"{method} {path} {(int)response.StatusCode}");
        }

        Assert.NotEmpty(api);
        Assert.All(answers, a => Assert.EndsWith(" 401", a, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ViewerToken, "dashboard", "viewer")]
    [InlineData(OperatorToken, "ops", "operator")]
    public async Task Me_Token_AnswersItsNameAndRole(string token, string name, string role)
    {
        using var http = Client(token);

        var me = await http.GetFromJsonAsync<JsonElement>("api/v1/me");

        Assert.Equal(name, me.GetProperty("name").GetString());
        Assert.Equal(role, me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task OpenApi_WhatTheDashboardReads_IsDescribedWithItsTypes()
    {
        using var http = Client(null);

        var doc = await http.GetFromJsonAsync<JsonElement>("openapi/v1.json");

        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/me", out var me), "GET /api/v1/me is not described");
        Assert.Equal("GetCaller", me.GetProperty("get").GetProperty("operationId").GetString());
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.Equal(["name", "role"], schemas.GetProperty("CallerDocument").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var ring = schemas.GetProperty("RingCounts").GetProperty("properties");
        Assert.True(ring.TryGetProperty("release", out _) && ring.TryGetProperty("phase", out _), ring.ToString());
    }

    /// <summary>Every API route and method, its parameters filled in, and whether it is marked read-only.</summary>
    private IEnumerable<(string Method, string Path, bool ReadOnly)> Routes() =>
        from e in ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
        let pattern = e.RoutePattern.RawText ?? ""
        where pattern.StartsWith(ServiceApp.ApiPrefix, StringComparison.Ordinal)
        from method in e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
        select (method, Fill(pattern), e.Metadata.GetMetadata<ReadOnlyRoute>() is not null);

    private static string Fill(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", "x").TrimStart('/');

    private HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First() + "/") };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _lab.Dispose();
    }
}
