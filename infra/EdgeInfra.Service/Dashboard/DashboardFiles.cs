using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace EdgeInfra.Service.Dashboard;

/// <summary>Serves the dashboard's static files (HTML, CSS, JS modules) from the assembly's manifest at <c>/</c>.</summary>
/// <remarks>
/// Everything the page loads is embedded, so it works with no network beyond the service. The files carry no data and
/// no secret, so they are served without a token; the page asks for one and calls the API with it. Each answer has a
/// strict Content-Security-Policy (only this origin's scripts, styles and connections; no inline script or style), and
/// an ETag so a reload revalidates instead of downloading again.
/// </remarks>
internal static class DashboardFiles
{
    private const string Prefix = "wwwroot/";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>One embedded file, read once.</summary>
    internal sealed record File(string Path, string ContentType, byte[] Body, string ETag);

    /// <summary>The embedded files by URL path (<c>/</c> is <c>index.html</c>).</summary>
    public static IReadOnlyDictionary<string, File> Load(Assembly assembly)
    {
        var files = new Dictionary<string, File>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            if (!ContentTypes.TryGetValue(System.IO.Path.GetExtension(path), out var type))
                throw new InvalidOperationException($"embedded dashboard file {path} has no known content type");
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            files[path] = new File(path, type, body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"");
        }
        if (files.TryGetValue("/index.html", out var index)) files["/"] = index;
        return files;
    }

    /// <summary>Maps one GET route per embedded file.</summary>
    public static void Map(WebApplication app)
    {
        foreach (var (path, file) in Load(typeof(DashboardFiles).Assembly))
            app.MapGet(path, (HttpContext http) => Serve(http, file)).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, File file)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The files are small and change with the service's version: revalidate every time, answered by a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(file.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(file.Body, file.ContentType);
    }
}
