using System.Collections.Concurrent;
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Opens at most one SSH session per store device per run and hands it to every operation on that device.</summary>
/// <remarks>
/// Connecting retries network failures a bounded number of times with exponential backoff (Polly, on the injected
/// clock). A device that stays unreachable is remembered as such for the rest of the run, so its other resources fail
/// at once instead of waiting through the retries again. Host keys are checked before authentication: against the key
/// pinned in config, else the one recorded in state on first contact; with neither, the presented key is trusted and
/// recorded (trust on first use). A mismatch is never retried.
/// </remarks>
internal sealed class SshConnectionPool : IDisposable
{
    private readonly SshProviderOptions _options;
    private readonly SemaphoreSlim _gate;
    private readonly ResiliencePipeline _retry;
    private readonly ConcurrentDictionary<string, Lazy<Task<SshDeviceConnection>>> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _recordedKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceCommandBatcher> _batches = new(StringComparer.Ordinal);

    public SshConnectionPool(SshProviderOptions options, TimeProvider time)
    {
        _options = options;
        Timings = new SshTimings(time);
        _gate = new SemaphoreSlim(Math.Max(1, options.Concurrency));
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.Retries),
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryDelay,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<SocketException>().Handle<SshConnectionException>()
                    .Handle<SshOperationTimeoutException>().Handle<ProxyException>(),
            })
            .Build();
        if (options.Retries <= 0) _retry = ResiliencePipeline.Empty;
    }

    public SshTimings Timings { get; }

    /// <summary>Remembers a host key recorded in state for <paramref name="store"/> (the first one recorded wins).</summary>
    public void Record(string store, string hostKey) => _recordedKeys.TryAdd(store, hostKey);

    public Task<SshDeviceConnection> GetAsync(SshEndpoint endpoint, CancellationToken ct) =>
        _connections.GetOrAdd(endpoint.Store, _ => new Lazy<Task<SshDeviceConnection>>(() => ConnectAsync(endpoint, ct))).Value;

    /// <summary>Runs a small command on the device, batched with the other commands for that device asked for meanwhile
    /// (see <see cref="DeviceCommandBatcher"/>).</summary>
    public Task<(SshDeviceConnection Device, DeviceCommandResult Result)> RunBatchedAsync(SshEndpoint endpoint, string kind, string what,
        string script, byte[]? stdin, CancellationToken ct) =>
        _batches.GetOrAdd(endpoint.Store, _ => new DeviceCommandBatcher(token => GetAsync(endpoint, token))).RunAsync(kind, what, script, stdin, ct);

    private async Task<SshDeviceConnection> ConnectAsync(SshEndpoint endpoint, CancellationToken ct)
    {
        var (expected, expectedFrom) = endpoint.PinnedHostKey is { } pinned
            ? (HostKeys.Normalize(pinned), "pinned in config")
            : _recordedKeys.TryGetValue(endpoint.Store, out var recorded) ? (recorded, "recorded in state on first contact") : (null, "");
        using var key = new PrivateKeyFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(_options.PrivateKey)));
        string? presented = null;
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                // A slot per attempt, not across the backoff: a dead device must not hold up live ones.
                var queued = Timings.Now;
                await _gate.WaitAsync(token);
                var started = Timings.Now;
                TimeSpan? keyExchanged = null;
                Timings.Started();
                var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, key))
                {
                    Timeout = _options.ConnectTimeout,
                    RetryAttempts = 1,
                };
                KeyExchangeOrder.Apply(info);
                var client = new SshClient(info);
                client.HostKeyReceived += (_, e) =>
                {
                    keyExchanged = Timings.Now;
                    presented = "SHA256:" + e.FingerPrintSHA256;
                    e.CanTrust = expected is null || string.Equals(expected, presented, StringComparison.Ordinal);
                };
                try
                {
                    using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    connectTimeout.CancelAfter(_options.ConnectTimeout);
                    await client.ConnectAsync(connectTimeout.Token);
                }
                catch (Exception e)
                {
                    Timings.Finished(new SshOperationTiming(endpoint.Store, "connect", $"{endpoint.Host}:{endpoint.Port} (failed)", queued, started, Timings.Now, keyExchanged));
                    _gate.Release();
                    client.Dispose();
                    if (expected is not null && presented is not null && presented != expected)
                        throw new HostKeyMismatchException(endpoint, expected, expectedFrom, presented);
                    if (e is SshAuthenticationException)
                        throw new DeviceUnreachableException(endpoint, $"authentication as '{endpoint.User}' with the bootstrap key was refused ({e.Message})", e);
                    if (e is OperationCanceledException && !ct.IsCancellationRequested)
                        throw new SshOperationTimeoutException($"no SSH session within {_options.ConnectTimeout.TotalSeconds:0} s");
                    throw;
                }
                Timings.Finished(new SshOperationTiming(endpoint.Store, "connect", $"{endpoint.Host}:{endpoint.Port}", queued, started, Timings.Now, keyExchanged, info.CurrentKeyExchangeAlgorithm));
                _gate.Release();
                return new SshDeviceConnection(endpoint, client, presented!, _gate, _options.CommandTimeout, Timings);
            }, ct);
        }
        catch (Exception e) when (e is SocketException or SshConnectionException or SshOperationTimeoutException or ProxyException)
        {
            throw new DeviceUnreachableException(endpoint, $"{e.Message} (after {_options.Retries + 1} attempts)", e);
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _connections.Values)
        {
            if (!lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully) continue;
            lazy.Value.Result.Dispose();
        }
        _connections.Clear();
        _gate.Dispose();
    }
}
