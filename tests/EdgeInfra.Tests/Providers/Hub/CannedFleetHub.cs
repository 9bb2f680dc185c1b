using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeInfra.Providers.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeInfra.Tests.Providers.Hub;

/// <summary>A loopback HTTP server answering Fleet's Kubernetes REST subset (the hub contract of the common brief) from
/// canned objects: lists with <c>labelSelector</c> (equality and set-based) and <c>limit</c>/<c>continue</c>, 404 with a
/// <c>Status</c> for unknown paths, and injectable failures.</summary>
internal sealed class CannedFleetHub : IAsyncDisposable
{
    private const string Base = "/apis/fleet.cattle.io/v1alpha1";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<JsonObject>> _objects = new(StringComparer.Ordinal);

    private CannedFleetHub(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Requests answered so far, as <c>METHOD path?query</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The Authorization header of the last request, if any.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>How many of the next requests answer 503 (then normal service resumes).</summary>
    public int FailNext;

    /// <summary>How many of the next requests with a continue token answer 410 Gone (the token expired, as when etcd
    /// compacted past the list's resource version); first pages are answered normally.</summary>
    public int ExpireNextContinue;

    /// <summary>When set, every request answers this status code with a Kubernetes Status body.</summary>
    public int? FailAlways { get; set; }

    /// <summary>Delay before answering each request.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, every list answers 200 with this body (a hub, or a proxy in front of it, answering nonsense).</summary>
    public string? RawAnswer { get; set; }

    /// <param name="certificate">Serve HTTPS with this certificate instead of plain HTTP.</param>
    public static async Task<CannedFleetHub> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (certificate is null) builder.WebHost.UseUrls("http://127.0.0.1:0");
        else builder.WebHost.UseKestrelHttpsConfiguration().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var hub = new CannedFleetHub(app);
        app.Run(hub.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        hub.Url = new Uri(address);
        return hub;
    }

    public void Add(HubCluster cluster) => Add("clusters", "Cluster", cluster);
    public void Add(HubBundle bundle) => Add("bundles", "Bundle", bundle);
    public void Add(HubBundleDeployment bd) => Add("bundledeployments", "BundleDeployment", bd);
    public void Add(HubGitRepo repo) => Add("gitrepos", "GitRepo", repo);

    /// <summary>Every canned object as the API serves it (for schema checks against fleet-crds.yaml).</summary>
    public IEnumerable<JsonObject> All => _objects.Values.SelectMany(v => v);

    private void Add<T>(string plural, string kind, T item)
    {
        var node = JsonSerializer.SerializeToNode(item, Json)!.AsObject();
        node.Insert(0, "apiVersion", "fleet.cattle.io/v1alpha1");
        node.Insert(1, "kind", kind);
        _objects.GetOrAdd(plural, _ => []).Add(node);
    }

    private async Task HandleAsync(HttpContext http)
    {
        Requests.Enqueue($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}");
        LastAuthorization = http.Request.Headers.Authorization.FirstOrDefault();
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, http.RequestAborted);
        if (FailAlways is { } code) { await StatusAsync(http, code, "injected failure"); return; }
        if (Interlocked.Decrement(ref FailNext) >= 0) { await StatusAsync(http, 503, "injected transient failure"); return; }
        if (RawAnswer is { } raw)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(raw);
            return;
        }

        var path = http.Request.Path.Value ?? "";
        if (!path.StartsWith(Base + "/", StringComparison.Ordinal)) { await StatusAsync(http, 404, $"unknown path {path}"); return; }
        var parts = path[(Base.Length + 1)..].Split('/');
        string? ns = null;
        string plural;
        if (parts is ["namespaces", var n, var p]) { ns = n; plural = p; }
        else if (parts is [var all]) plural = all;
        else { await StatusAsync(http, 404, $"unknown path {path}"); return; }
        if (!new[] { "clusters", "bundles", "bundledeployments", "gitrepos", "clustergroups" }.Contains(plural))
        {
            await StatusAsync(http, 404, $"the server could not find the requested resource ({plural})");
            return;
        }

        IEnumerable<JsonObject> items = _objects.GetValueOrDefault(plural) ?? [];
        if (ns is not null) items = items.Where(o => o["metadata"]?["namespace"]?.GetValue<string>() == ns);
        if (http.Request.Query["labelSelector"].ToString() is { Length: > 0 } selector)
        {
            var parsed = EdgeInfra.Components.Model.LabelSelector.Parse(selector);
            items = items.Where(o => parsed.Matches(o["metadata"]?["labels"]?.AsObject()
                .ToDictionary(l => l.Key, l => l.Value!.GetValue<string>(), StringComparer.Ordinal) ?? []));
        }
        var list = items.ToList();
        var offset = int.TryParse(http.Request.Query["continue"], out var c) ? c : 0;
        if (offset > 0 && Interlocked.Decrement(ref ExpireNextContinue) >= 0)
        {
            await StatusAsync(http, 410, "The provided continue parameter is too old to display a consistent list result.");
            return;
        }
        var limit = int.TryParse(http.Request.Query["limit"], out var l) && l > 0 ? l : int.MaxValue;
        var page = list.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < list.Count ? (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var kind = char.ToUpperInvariant(plural[0]) + plural[1..^1];
        kind = plural switch { "gitrepos" => "GitRepo", "bundledeployments" => "BundleDeployment", "clustergroups" => "ClusterGroup", _ => kind };
        var body = new JsonObject
        {
            ["apiVersion"] = "fleet.cattle.io/v1alpha1",
            ["kind"] = kind + "List",
            ["metadata"] = next is null ? new JsonObject { ["resourceVersion"] = "1" } : new JsonObject { ["resourceVersion"] = "1", ["continue"] = next },
            ["items"] = new JsonArray([.. page.Select(o => (JsonNode)o.DeepClone())]),
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task StatusAsync(HttpContext http, int code, string message)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["message"] = message,
            ["code"] = code,
        }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
