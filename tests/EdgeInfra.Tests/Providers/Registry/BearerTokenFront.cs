using EdgeInfra.Tests.Fixtures;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeInfra.Tests.Providers.Registry;

/// <summary>The distribution token flow in front of a real registry, as Docker Hub, GHCR or Harbor run it: every API
/// request without a valid Bearer token gets 401 with <c>WWW-Authenticate: Bearer realm=…,service=…,scope=…</c>; the
/// realm hands out a token for Basic credentials; requests with the token are passed to the registry behind.</summary>
internal sealed class BearerTokenFront : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _backend = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly Uri _registry;
    private readonly string _basic;
    private readonly string _token = "tok-" + Guid.NewGuid().ToString("N");
    private readonly Task _serving;
    private int _tokensIssued;

    public BearerTokenFront(Uri registry, string user, string password)
    {
        _registry = registry;
        _basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public int TokensIssued => _tokensIssued;

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
            var path = request.Url!.AbsolutePath;
            if (path == "/token")
            {
                if (request.Headers["Authorization"] != _basic) { response.StatusCode = 401; return; }
                Interlocked.Increment(ref _tokensIssued);
                var body = Encoding.UTF8.GetBytes($$"""{"token":"{{_token}}","expires_in":300}""");
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(body);
                return;
            }
            if (request.Headers["Authorization"] != $"Bearer {_token}")
            {
                var repo = path.StartsWith("/v2/", StringComparison.Ordinal) && path.Length > 4
                    ? string.Join('/', path[4..].Split('/').TakeWhile(p => p is not ("manifests" or "blobs")))
                    : "";
                var scope = repo.Length > 0 ? $",scope=\"repository:{repo}:pull,push\"" : "";
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", $"Bearer realm=\"{Url}token\",service=\"edgeinfra-test\"{scope}");
                return;
            }
            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_registry, request.Url.PathAndQuery));
            if (request.HasEntityBody)
            {
                using var buffer = new MemoryStream();
                await request.InputStream.CopyToAsync(buffer);
                forward.Content = new ByteArrayContent(buffer.ToArray());
                if (request.ContentType is { } type) forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            foreach (var accept in request.AcceptTypes ?? []) forward.Headers.TryAddWithoutValidation("Accept", accept);
            using var answer = await _backend.SendAsync(forward);
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers)
            {
                // Upload sessions must come back through the front, as a real token-guarded registry's do.
                var value = string.Join(",", values);
                if (name == "Location") value = value.Replace(_registry.GetLeftPart(UriPartial.Authority), Url.GetLeftPart(UriPartial.Authority));
                if (name is not ("Transfer-Encoding" or "Connection")) response.AddHeader(name, value);
            }
            if (answer.Content.Headers.ContentType is { } ct) response.ContentType = ct.ToString();
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            if (request.HttpMethod == "HEAD") response.ContentLength64 = answer.Content.Headers.ContentLength ?? 0;
            else await response.OutputStream.WriteAsync(bytes);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException) { }
        finally
        {
            try { response.Close(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        _backend.Dispose();
    }
}
