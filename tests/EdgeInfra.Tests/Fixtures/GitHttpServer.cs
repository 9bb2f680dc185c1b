using System.Diagnostics;
using System.Net;
using System.Text;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>
/// Git's smart HTTP protocol on loopback: an in-process HTTP listener that runs the real <c>git http-backend</c> (CGI)
/// for each request and demands Basic authentication, the way an HTTPS Git host with access tokens does (minus TLS).
/// </summary>
internal sealed class GitHttpServer : IDisposable
{
    private const string Backend = "/usr/lib/git-core/git-http-backend";
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly string _expectedAuthorization;
    private readonly Task _serving;

    public GitHttpServer(string root, string username, string password)
    {
        if (!File.Exists(Backend))
            throw new InvalidOperationException($"{Backend} is missing: install the Debian package '{GitCli.DebianPackage}'");
        _root = root;
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string UrlFor(string repoDirName) => $"http://127.0.0.1:{Port}/{repoDirName}";

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* the listener was closed under a pending request */ }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (request.Headers["Authorization"] != _expectedAuthorization)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"fleet\"");
                return;
            }
            var start = new ProcessStartInfo(Backend)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["GIT_PROJECT_ROOT"] = _root;
            start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
            start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
            start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
            start.Environment["REMOTE_USER"] = "fleet-writer"; // http-backend allows push only to an authenticated user
            start.Environment["REQUEST_METHOD"] = request.HttpMethod;
            start.Environment["PATH_INFO"] = Uri.UnescapeDataString(request.Url!.AbsolutePath);
            start.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
            start.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
            if (request.Headers["Content-Encoding"] is { } encoding) start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
            if (request.Headers["Git-Protocol"] is { } protocol) start.Environment["GIT_PROTOCOL"] = protocol;

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await request.InputStream.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();

            var output = new MemoryStream();
            await process.StandardOutput.BaseStream.CopyToAsync(output);
            await process.WaitForExitAsync();
            await stderr;
            WriteCgiResponse(output.ToArray(), response);
        }
        finally
        {
            response.Close();
        }
    }

    // A CGI response: header lines (Status: gives the status code), a blank line, then the body.
    private static void WriteCgiResponse(byte[] cgi, HttpListenerResponse response)
    {
        var split = IndexOf(cgi, "\r\n\r\n"u8, out var separator);
        if (split < 0) split = IndexOf(cgi, "\n\n"u8, out separator);
        var headers = Encoding.ASCII.GetString(cgi, 0, Math.Max(split, 0));
        foreach (var line in headers.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) response.ContentType = value;
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) response.AddHeader(name, value);
        }
        var bodyStart = split < 0 ? 0 : split + separator;
        response.OutputStream.Write(cgi, bodyStart, cgi.Length - bodyStart);
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> needle, out int length)
    {
        length = needle.Length;
        return data.AsSpan().IndexOf(needle);
    }
}
