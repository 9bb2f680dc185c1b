using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;

namespace EdgeInfra.Lab.Hub;

/// <summary>Answers a hub client's list requests in process, with the same bytes the lab hub serves over HTTP.</summary>
/// <remarks>
/// For the rehearsal, a prediction run in one process over a throw-away lab: a status read per gate evaluation through
/// loopback HTTP cost a socket round trip, Kestrel's pipeline and the client's retry pipeline per page, hundreds of times
/// per simulated day. The client above this handler (paging, selectors, parsing) is the production one; only the
/// socket is gone. Anything but a Fleet list is a Kubernetes <c>Status</c> 404, as the HTTP hub's fallback answers.
/// </remarks>
public sealed class LabHubHandler(LabHub hub) : DelegatingHandler
{
    private const string Prefix = "/apis/" + KubeJsonWriter.ApiVersion + "/";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uri = request.RequestUri ?? throw new InvalidOperationException("a hub request has no URI");
        var (code, body) = request.Method == HttpMethod.Get && ListOf(uri.AbsolutePath) is var (plural, ns)
            ? Answer(uri, plural, ns)
            : HubApi.StatusBody(404, "NotFound", $"the server could not find the requested resource ({request.Method} {uri.AbsolutePath})");
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = body.Length;
        return Task.FromResult(new HttpResponseMessage((HttpStatusCode)code) { Content = content, RequestMessage = request });
    }

    private (int Code, byte[] Body) Answer(Uri uri, string plural, string? ns)
    {
        var query = QueryHelpers.ParseQuery(uri.Query);
        string? Param(string name) => query.TryGetValue(name, out var v) ? v.FirstOrDefault() : null;
        return HubApi.ListAnswer(hub, plural, ns, Param("labelSelector"), Param("limit"), Param("continue"));
    }

    /// <summary>The plural and namespace of a list path (<c>…/{plural}</c> or <c>…/namespaces/{ns}/{plural}</c>); null otherwise.</summary>
    private static (string Plural, string? Ns)? ListOf(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = path[Prefix.Length..].Split('/');
        return parts switch
        {
            [var plural] when plural.Length > 0 => (plural, null),
            ["namespaces", var ns, var plural] when ns.Length > 0 && plural.Length > 0 => (plural, Uri.UnescapeDataString(ns)),
            _ => null,
        };
    }
}
