using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeInfra.Providers.Registry;

/// <summary>A client of one registry's OCI distribution API (v1.1): manifests and blobs by digest, monolithic uploads,
/// cross-repository mounts, with Basic or Bearer-token login when the registry answers 401, and bounded retries.</summary>
/// <remarks>
/// Every manifest request sends all four manifest media types in <c>Accept</c> (see <see cref="ManifestMediaTypes.All"/>),
/// and every manifest body is checked against its digest, so what is copied is byte for byte what was pushed.
/// Errors name the registry and the request, never the credentials.
/// </remarks>
public sealed class RegistryClient
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _requests;
    private readonly ResiliencePipeline _blobs;
    private readonly RegistryTokens _tokens;

    internal RegistryClient(HttpClient http, RegistryEndpoint endpoint, RegistryClientOptions options, TimeProvider time)
    {
        _http = http;
        Endpoint = endpoint;
        Options = options;
        _requests = Pipeline(options, options.Request, time);
        _blobs = Pipeline(options, options.Blob, time);
        _tokens = new RegistryTokens(http, endpoint);
    }

    public RegistryEndpoint Endpoint { get; }
    public RegistryClientOptions Options { get; }

    /// <summary><c>GET /v2/</c>: the registry answers and, where it asks, accepts the credentials.</summary>
    public Task PingAsync(CancellationToken ct) => RunAsync(_requests, "GET /v2/", async t =>
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Endpoint.Api("v2/")), null, t);
        await EnsureAsync(response, "GET /v2/", t);
        return true;
    }, ct);

    /// <summary>HEAD a manifest by tag or digest; null when the registry has none (404).</summary>
    public Task<ManifestHead?> HeadManifestAsync(string repository, string reference, CancellationToken ct)
    {
        var what = $"HEAD {repository}/manifests/{reference}";
        return RunAsync(_requests, what, async t =>
        {
            using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, repository, reference), Pull(repository), t);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await EnsureAsync(response, what, t);
            return new ManifestHead(DigestHeader(response), response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentLength);
        }, ct);
    }

    /// <summary>GET a manifest's original bytes; null when the registry has none. When <paramref name="reference"/> is
    /// a digest the body must hash to it; by tag it must hash to the registry's <c>Docker-Content-Digest</c>.</summary>
    public Task<Manifest?> GetManifestAsync(string repository, string reference, CancellationToken ct)
    {
        var what = $"GET {repository}/manifests/{reference}";
        return RunAsync(_requests, what, async t =>
        {
            using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, repository, reference), Pull(repository), t);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await EnsureAsync(response, what, t);
            var bytes = await response.Content.ReadAsByteArrayAsync(t);
            Manifest manifest;
            try { manifest = Manifest.Parse(bytes, response.Content.Headers.ContentType?.MediaType); }
            catch (FormatException e) { throw new RegistryException(RegistryFailure.Protocol, $"{Endpoint}: {what}: {e.Message}"); }
            var expected = Digests.IsDigest(reference) ? reference : DigestHeader(response);
            if (expected is not null && expected != manifest.Digest)
                throw new RegistryException(RegistryFailure.DigestMismatch,
                    $"{Endpoint}: {what}: the body hashes to {manifest.Digest}, not {expected}");
            return manifest;
        }, ct);
    }

    /// <summary>PUT a manifest by tag or digest with its original bytes and media type; returns the digest the
    /// registry stored it under, which must be the manifest's own.</summary>
    public Task<string> PutManifestAsync(string repository, string reference, Manifest manifest, CancellationToken ct)
    {
        var what = $"PUT {repository}/manifests/{reference}";
        return RunAsync(_requests, what, async t =>
        {
            using var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, Endpoint.Api($"v2/{repository}/manifests/{reference}"))
                {
                    Content = new ByteArrayContent(manifest.Bytes),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
                return request;
            }, Push(repository), t);
            await EnsureAsync(response, what, t);
            var stored = DigestHeader(response) ?? manifest.Digest;
            if (stored != manifest.Digest)
                throw new RegistryException(RegistryFailure.DigestMismatch, $"{Endpoint}: {what}: stored as {stored}, expected {manifest.Digest}");
            return stored;
        }, ct);
    }

    /// <summary>HEAD a blob: true when the repository serves it (200), false on 404.</summary>
    public Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken ct)
    {
        var what = $"HEAD {repository}/blobs/{digest}";
        return RunAsync(_requests, what, async t =>
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, Endpoint.Api($"v2/{repository}/blobs/{digest}")),
                Pull(repository), t);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            await EnsureAsync(response, what, t);
            return true;
        }, ct);
    }

    /// <summary>GET a small blob into memory (a signature payload), checked against its digest; null on 404.</summary>
    /// <param name="maxBytes">A larger blob is refused rather than read: the caller expects a small document.</param>
    public Task<byte[]?> GetBlobAsync(string repository, string digest, long maxBytes, CancellationToken ct)
    {
        var what = $"GET {repository}/blobs/{digest}";
        return RunAsync(_requests, what, async t =>
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Endpoint.Api($"v2/{repository}/blobs/{digest}")),
                Pull(repository), t, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await EnsureAsync(response, what, t);
            if (response.Content.Headers.ContentLength > maxBytes)
                throw new RegistryException(RegistryFailure.Protocol, $"{Endpoint}: {what}: {response.Content.Headers.ContentLength} bytes, more than the {maxBytes} expected");
            var bytes = await response.Content.ReadAsByteArrayAsync(t);
            if (bytes.Length > maxBytes || Digests.Sha256(bytes) != digest)
                throw new RegistryException(RegistryFailure.DigestMismatch, $"{Endpoint}: {what}: the body is not the blob {digest}");
            return bytes;
        }, ct);
    }

    /// <summary>Mounts a blob from another repository of this registry (<c>POST ?mount=&amp;from=</c>); false when the
    /// registry declined (it then opened an upload session, which is cancelled).</summary>
    public Task<bool> TryMountBlobAsync(string repository, string digest, string fromRepository, CancellationToken ct)
    {
        var what = $"POST {repository}/blobs/uploads/?mount={digest}&from={fromRepository}";
        return RunAsync(_requests, what, async t =>
        {
            var scope = $"{Push(repository)} {Pull(fromRepository)}";
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post,
                Endpoint.Api($"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(fromRepository)}")), scope, t);
            if (response.StatusCode == HttpStatusCode.Created) return true;
            await EnsureAsync(response, what, t);
            if (response.Headers.Location is { } location)
            {
                using var cancel = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Resolve(location)), Push(repository), t);
            }
            return false;
        }, ct);
    }

    /// <summary>Copies one blob from <paramref name="source"/> into this registry: GET streamed into a monolithic
    /// upload (<c>POST</c> a session, <c>PUT &lt;location&gt;?digest=</c>); the registry checks the digest. Returns
    /// the bytes moved. Retried as a whole, so a dropped stream starts over.</summary>
    public Task<long> CopyBlobFromAsync(RegistryClient source, string sourceRepository, string repository, OciDescriptor blob, CancellationToken ct)
    {
        var what = $"copy blob {blob.Digest} from {source.Endpoint.Name}/{sourceRepository}";
        return RunAsync(_blobs, what, async t =>
        {
            using var download = await source.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, source.Endpoint.Api($"v2/{sourceRepository}/blobs/{blob.Digest}")),
                Pull(sourceRepository), t, HttpCompletionOption.ResponseHeadersRead);
            if (download.StatusCode == HttpStatusCode.NotFound)
                throw new RegistryException(RegistryFailure.NotFound, $"{source.Endpoint}: {sourceRepository} has no blob {blob.Digest}");
            await source.EnsureAsync(download, $"GET {sourceRepository}/blobs/{blob.Digest}", t);
            var length = download.Content.Headers.ContentLength ?? blob.Size;
            var location = await StartUploadAsync(repository, t);
            var target = Resolve(location);
            var put = new UriBuilder(target) { Query = AppendQuery(target.Query, "digest=" + Uri.EscapeDataString(blob.Digest)) }.Uri;
            await using var body = await download.Content.ReadAsStreamAsync(t);
            using var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, put) { Content = new StreamContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                if (length >= 0) request.Content.Headers.ContentLength = length;
                return request;
            }, Push(repository), t, replayable: false);
            await EnsureAsync(response, $"PUT {repository}/blobs/uploads (digest {blob.Digest})", t);
            return Math.Max(length, 0);
        }, ct);
    }

    /// <summary>Uploads a blob held in memory (a monolithic POST + PUT); the registry checks the digest.</summary>
    public Task UploadBlobAsync(string repository, byte[] content, CancellationToken ct)
    {
        var digest = Digests.Sha256(content);
        return RunAsync(_blobs, $"upload blob {digest} to {repository}", async t =>
        {
            var location = Resolve(await StartUploadAsync(repository, t));
            var put = new UriBuilder(location) { Query = AppendQuery(location.Query, "digest=" + Uri.EscapeDataString(digest)) }.Uri;
            using var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, put) { Content = new ByteArrayContent(content) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return request;
            }, Push(repository), t);
            await EnsureAsync(response, $"PUT {repository}/blobs/uploads (digest {digest})", t);
            return true;
        }, ct);
    }

    private async Task<Uri> StartUploadAsync(string repository, CancellationToken ct)
    {
        var what = $"POST {repository}/blobs/uploads/";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Endpoint.Api($"v2/{repository}/blobs/uploads/")),
            Push(repository), ct);
        await EnsureAsync(response, what, ct);
        return response.Headers.Location
            ?? throw new RegistryException(RegistryFailure.Protocol, $"{Endpoint}: {what}: answered {(int)response.StatusCode} without a Location");
    }

    /// <summary>Sends a request, logging in once when the registry answers 401 with a challenge. A request that cannot
    /// be replayed (a streamed body) is failed as transient after the login, so the caller's retry starts it over.</summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, string? scope, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, bool replayable = true)
    {
        var response = await SendOnceAsync(make(), scope, completion, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = RegistryChallenge.From(response.Headers);
        response.Dispose();
        if (challenge is null)
            throw new RegistryException(RegistryFailure.Unauthorized, $"{Endpoint}: answered 401 without a WWW-Authenticate challenge");
        await _tokens.LoginAsync(challenge, scope, ct);
        if (!replayable)
            throw new RegistryException(RegistryFailure.Unauthorized, $"{Endpoint}: logged in again mid-upload") { Transient = true };
        response = await SendOnceAsync(make(), scope, completion, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new RegistryException(RegistryFailure.Unauthorized,
                Endpoint.Credentials is null
                    ? $"{Endpoint}: asks for credentials and none are configured"
                    : $"{Endpoint}: refused the configured credentials of user '{Endpoint.Credentials.User}'");
        }
        return response;
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, string? scope, HttpCompletionOption completion, CancellationToken ct)
    {
        if (_tokens.Authorization(scope) is { } authorization) request.Headers.Authorization = authorization;
        return _http.SendAsync(request, completion, ct);
    }

    private async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var body = "";
        try { body = (await response.Content.ReadAsStringAsync(ct)).Trim(); }
        catch (HttpRequestException) { }
        if (body.Length > 300) body = body[..300] + "…";
        var message = $"{Endpoint}: {what}: {status} {response.ReasonPhrase}{(body.Length > 0 ? $" {body}" : "")}";
        var failure = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => RegistryFailure.Unauthorized,
            HttpStatusCode.NotFound => RegistryFailure.NotFound,
            _ when status >= 500 || status == 429 => RegistryFailure.Unreachable,
            _ => RegistryFailure.Protocol,
        };
        throw new RegistryException(failure, message) { Transient = status >= 500 || status == 429 };
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, Endpoint.Api($"v2/{repository}/manifests/{reference}"));
        foreach (var type in ManifestMediaTypes.All) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    private Uri Resolve(Uri location) => location.IsAbsoluteUri ? location : new Uri(Endpoint.BaseUrl, location);

    private static string AppendQuery(string query, string parameter) =>
        string.IsNullOrEmpty(query) || query == "?" ? parameter : query.TrimStart('?') + "&" + parameter;

    private static string? DigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;

    private static string Pull(string repository) => $"repository:{repository}:pull";
    private static string Push(string repository) => $"repository:{repository}:pull,push";

    /// <summary>Runs one operation under the retry and timeout pipeline and turns what is left of a network failure
    /// into an <see cref="RegistryException"/> naming the registry.</summary>
    private async Task<T> RunAsync<T>(ResiliencePipeline pipeline, string what, Func<CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        try
        {
            return await pipeline.ExecuteAsync(async t => await operation(t), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException)
        {
            throw new RegistryException(RegistryFailure.Unreachable, $"{Endpoint}: {what}: {Describe(e)} (after {Options.Attempts} attempts)", e);
        }
        catch (RegistryException e) when (e.Transient)
        {
            throw new RegistryException(RegistryFailure.Unreachable, $"{e.Message} (after {Options.Attempts} attempts)", e);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException t => $"timed out after {t.Timeout.TotalSeconds:0.#} s",
        HttpRequestException { InnerException: { } inner } h when !h.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{h.Message} ({inner.Message})",
        _ => e.Message,
    };

    private static ResiliencePipeline Pipeline(RegistryClientOptions options, TimeSpan timeout, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.Attempts - 1),
                Delay = options.Delay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .Handle<RegistryException>(e => e.Transient),
            })
            .AddTimeout(timeout)
            .Build();
}
