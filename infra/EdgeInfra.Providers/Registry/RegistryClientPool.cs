namespace EdgeInfra.Providers.Registry;

/// <summary>Registry clients sharing one connection pool, one per endpoint (so each keeps its login).</summary>
public sealed class RegistryClientPool : IDisposable
{
    private readonly HttpClient _http;
    private readonly Dictionary<RegistryEndpoint, RegistryClient> _clients = [];
    private readonly TimeProvider _time;

    public RegistryClientPool(RegistryClientOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new RegistryClientOptions();
        _time = time ?? TimeProvider.System;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = Options.Request,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(4, Options.BlobConcurrency * 2),
            // A redirect to blob storage (S3, GCS) must not carry the registry's Authorization header; .NET drops it.
            AllowAutoRedirect = true,
        };
        // Time limits are the pipeline's, per attempt; HttpClient's own would cut long blob streams short.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("edgeinfra-mirror/1.0");
    }

    public RegistryClientOptions Options { get; }

    public RegistryClient For(RegistryEndpoint endpoint)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(endpoint, out var client))
                _clients[endpoint] = client = new RegistryClient(_http, endpoint, Options, _time);
            return client;
        }
    }

    public void Dispose() => _http.Dispose();
}
