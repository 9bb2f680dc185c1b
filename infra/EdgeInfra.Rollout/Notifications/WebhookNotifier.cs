using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeInfra.Rollout.Notifications;

/// <summary>Posts notifications to a Slack-compatible webhook: <c>{"text": …}</c> plus the structured fields, retried
/// with backoff on a background queue.</summary>
/// <remarks>
/// The webhook URL is a secret (it authorises posting): it appears in no message, log line or exception text; a failed
/// delivery is reported through <c>onFailure</c> by status code or error kind only. Deliveries never throw into the
/// rollout, and a rollout never waits on a slow endpoint except for a bounded drain at its end.
/// </remarks>
public sealed class WebhookNotifier : INotifier
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly Action<string> _onFailure;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Channel<RolloutNotification> _queue = Channel.CreateUnbounded<RolloutNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;

    /// <param name="retryDelay">The first retry's delay (doubled each attempt); short in tests.</param>
    public WebhookNotifier(Uri url, Action<string> onFailure, HttpClient? http = null, int retries = 3, TimeSpan? retryDelay = null, TimeSpan? attemptTimeout = null)
    {
        _url = url;
        _onFailure = onFailure;
        _http = http ?? new HttpClient();
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retries,
                Delay = retryDelay ?? TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || (int)r.StatusCode == 429),
            })
            .AddTimeout(attemptTimeout ?? TimeSpan.FromSeconds(10))
            .Build();
        _worker = Task.Run(DeliverAllAsync);
    }

    public void Notify(RolloutNotification notification) => _queue.Writer.TryWrite(notification);

    public async Task DrainAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_worker, Task.Delay(timeout, TimeProvider.System));
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAsync(TimeSpan.FromSeconds(5));
        _http.Dispose();
    }

    /// <summary>The JSON body: Slack reads <c>text</c>; other receivers read the structured fields.</summary>
    public static JsonObject Payload(RolloutNotification n)
    {
        var stores = new JsonArray();
        foreach (var s in n.Stores.Take(50)) stores.Add(s);
        return new JsonObject
        {
            ["text"] = n.Text,
            ["event"] = n.Event,
            ["stack"] = n.Stack,
            ["ring"] = n.Ring,
            ["release"] = n.Release,
            ["reason"] = n.Reason,
            ["stores"] = stores,
            ["storeCount"] = n.Stores.Count,
            ["time"] = n.Time.UtcDateTime.ToString("O"),
        };
    }

    private async Task DeliverAllAsync()
    {
        await foreach (var n in _queue.Reader.ReadAllAsync())
        {
            try
            {
                using var response = await _pipeline.ExecuteAsync(async ct =>
                    await _http.PostAsJsonAsync(_url, Payload(n), ct), CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                    _onFailure($"webhook delivery of '{n.Event}' failed: HTTP {(int)response.StatusCode}");
            }
            catch (Exception e)
            {
                _onFailure($"webhook delivery of '{n.Event}' failed: {e.GetType().Name}");
            }
        }
    }
}
