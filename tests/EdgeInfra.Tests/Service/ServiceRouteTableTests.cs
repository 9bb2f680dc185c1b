using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
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
    private static readonly string[] ReadMethods = ["GET", "HEAD", "OPTIONS"];

    private readonly LabProject _lab = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var settings = new ServiceSettings([new ServiceTokenSpec("dashboard", ServiceRole.Viewer, SHA256.HashData(Encoding.UTF8.GetBytes(ViewerToken)))]);
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
