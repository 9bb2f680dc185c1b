using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeInfra.Lab.Hub;

/// <summary>The HTTP surface of the lab hub: Fleet's Kubernetes REST subset, <c>/metrics</c> and <c>/lab/stats</c>.</summary>
/// <remarks>
/// Lists are Kubernetes lists (<c>{apiVersion, items, kind: &lt;Kind&gt;List, metadata: {resourceVersion, continue}}</c>)
/// sorted by namespace and name, with equality/set <c>labelSelector</c>, <c>limit</c> and <c>continue</c>; anything
/// else is a Kubernetes <c>Status</c> with the HTTP code (404 for unknown paths and objects).
/// </remarks>
internal static class HubApi
{
    private const string Base = "/apis/" + KubeJsonWriter.ApiVersion;

    private sealed record Resource(string Plural, string Kind, Action<KubeJsonWriter, Utf8JsonWriter, object> Write);

    private static readonly Dictionary<string, Resource> Resources = new[]
    {
        new Resource("clusters", "Cluster", (k, w, o) => k.Cluster(w, (SimCluster)o)),
        new Resource("clustergroups", "ClusterGroup", (k, w, o) => k.ClusterGroup(w, (SimClusterGroup)o)),
        new Resource("gitrepos", "GitRepo", (k, w, o) => k.GitRepo(w, (SimGitRepo)o)),
        new Resource("bundles", "Bundle", (k, w, o) => k.Bundle(w, (SimBundle)o)),
        new Resource("bundledeployments", "BundleDeployment", (k, w, o) => k.BundleDeployment(w, (SimBundleDeployment)o)),
    }.ToDictionary(r => r.Plural, StringComparer.Ordinal);

    public static void Map(WebApplication app, LabHub hub)
    {
        app.MapGet(Base + "/namespaces/{ns}/{plural}", (HttpContext http, string ns, string plural) => List(http, hub, plural, ns));
        app.MapGet(Base + "/{plural}", (HttpContext http, string plural) => List(http, hub, plural, null));
        app.MapGet(Base + "/namespaces/{ns}/{plural}/{name}", (HttpContext http, string ns, string plural, string name) => Get(http, hub, plural, ns, name));
        app.MapGet("/metrics", (HttpContext http) =>
        {
            var ring = http.Request.Query["ring"].FirstOrDefault();
            var text = hub.MetricsText(string.IsNullOrEmpty(ring) ? null : ring);
            return Results.Text(text, "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8);
        });
        app.MapGet("/lab/stats", () => hub.Render((sim, w) => LabStatsJson.Write(w, sim)));
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/version", () => Results.Json(new Dictionary<string, string> { ["major"] = "1", ["minor"] = "34", ["gitVersion"] = "v1.34.0-edgeinfra-lab" }));
        app.MapFallback((HttpContext http) => Status(404, "NotFound", $"the server could not find the requested resource ({http.Request.Method} {http.Request.Path})"));
    }

    private static IResult List(HttpContext http, LabHub hub, string plural, string? ns)
    {
        if (!Resources.TryGetValue(plural, out var resource)) return Status(404, "NotFound", $"the server could not find the requested resource ({plural})");
        LabelSelector selector;
        try { selector = LabelSelector.Parse(http.Request.Query["labelSelector"].FirstOrDefault()); }
        catch (FormatException e) { return Status(400, "BadRequest", e.Message); }
        var limit = int.TryParse(http.Request.Query["limit"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        string? after = null;
        if (http.Request.Query["continue"].FirstOrDefault() is { Length: > 0 } token)
        {
            try { after = Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
            catch (FormatException) { return Status(400, "BadRequest", "the continue token is not valid"); }
        }
        var selectorText = http.Request.Query["labelSelector"].FirstOrDefault() ?? "";
        var bytes = hub.Render((sim, w) =>
        {
            var cache = hub.ServingCache(sim);
            var writer = new KubeJsonWriter(sim, cache);
            // Sorted by namespace then name: the continue token is the last key returned, the next page starts after it.
            var items = cache.List(sim, plural, ns, selectorText, selector);
            var start = HubListCache.StartAfter(items, after);
            var count = Math.Min(limit, items.Length - start);
            // In the order the API server writes a custom resource list (an unstructured list, keys sorted): a client
            // sees the continue token only after the last item, as it would from a real hub.
            w.WriteStartObject();
            w.WriteString("apiVersion", KubeJsonWriter.ApiVersion);
            w.WriteStartArray("items");
            for (var i = start; i < start + count; i++) resource.Write(writer, w, items[i].Item);
            w.WriteEndArray();
            w.WriteString("kind", resource.Kind + "List");
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", sim.State.ResourceVersion.ToString(CultureInfo.InvariantCulture));
            if (start + count < items.Length)
            {
                w.WriteString("continue", Convert.ToBase64String(Encoding.UTF8.GetBytes(items[start + count - 1].Key)));
                w.WriteNumber("remainingItemCount", items.Length - start - count);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return bytes;
    }

    private static IResult Get(HttpContext http, LabHub hub, string plural, string ns, string name)
    {
        if (!Resources.TryGetValue(plural, out var resource)) return Status(404, "NotFound", $"the server could not find the requested resource ({plural})");
        var found = false;
        var bytes = hub.Render((sim, w) =>
        {
            if (HubListCache.Find(sim, plural, ns, name) is not { } item) return;
            found = true;
            resource.Write(new KubeJsonWriter(sim, hub.ServingCache(sim)), w, item);
        });
        return found ? bytes : Status(404, "NotFound", $"{plural}.{KubeJsonWriter.Group} \"{name}\" not found", name, plural);
    }

    /// <summary>A Kubernetes <c>Status</c> failure object, as the API server answers errors.</summary>
    private static IResult Status(int code, string reason, string message, string? name = null, string? kind = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("kind", "Status");
            w.WriteString("apiVersion", "v1");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteString("status", "Failure");
            w.WriteString("message", message);
            w.WriteString("reason", reason);
            if (name is not null)
            {
                w.WriteStartObject("details");
                w.WriteString("name", name);
                w.WriteString("group", KubeJsonWriter.Group);
                w.WriteString("kind", kind);
                w.WriteEndObject();
            }
            w.WriteNumber("code", code);
            w.WriteEndObject();
        }
        return new StatusResult(code, stream.ToArray());
    }

    private sealed class StatusResult(int code, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = code;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(body);
        }
    }
}
