using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeInfra.Providers.Prometheus;

/// <summary>Runs instant queries against Prometheus' HTTP API (<c>GET /api/v1/query</c>) and parses vector and scalar
/// answers, retrying transient failures.</summary>
/// <remarks>Retries and timeouts run on wall-clock time (a network wait is real even under a virtual clock).
/// Failures surface as <see cref="PrometheusException"/> with the reason; a bad query (HTTP 400/422) is not retried.</remarks>
public sealed class PrometheusClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUrl;
    private readonly ResiliencePipeline _pipeline;

    public PrometheusClient(Uri baseUrl, TimeSpan requestTimeout, HttpClient? http = null, int retries = 2)
    {
        _baseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = requestTimeout + TimeSpan.FromSeconds(5) };
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                    .Handle<TransientAnswer>(),
            })
            .AddTimeout(requestTimeout)
            .Build();
    }

    public Uri BaseUrl => _baseUrl;

    /// <summary>Evaluates <paramref name="query"/> at <paramref name="time"/> (Prometheus' now when null).</summary>
    public async Task<PromQueryResult> QueryAsync(string query, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        var url = $"api/v1/query?query={Uri.EscapeDataString(query)}";
        if (time is { } t) url += "&time=" + (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        string body;
        HttpStatusCode status;
        try
        {
            (status, body) = await _pipeline.ExecuteAsync(async ct =>
            {
                using var response = await _http.GetAsync(new Uri(_baseUrl, url), ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                    throw new TransientAnswer(response.StatusCode, text);
                return (response.StatusCode, text);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TransientAnswer e)
        {
            throw new PrometheusException($"prometheus {Host}: HTTP {(int)e.Status} {ErrorOf(e.Body) ?? e.Status.ToString()} (retried)", e);
        }
        catch (HttpRequestException e)
        {
            throw new PrometheusException($"prometheus {Host} is unreachable: {e.Message}", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new PrometheusException($"prometheus {Host}: query timed out after {e.Timeout.TotalSeconds:0.#}s (retried)", e);
        }
        return Parse(body, status);
    }

    private string Host => _baseUrl.GetLeftPart(UriPartial.Authority);

    private PromQueryResult Parse(string body, HttpStatusCode status)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.GetProperty("status").GetString() != "success")
                throw new PrometheusException($"prometheus {Host}: query rejected (HTTP {(int)status} {Str(root, "errorType")}): {Str(root, "error")}");
            var warnings = root.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array
                ? w.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            var data = root.GetProperty("data");
            var type = data.GetProperty("resultType").GetString() ?? "";
            var result = data.GetProperty("result");
            var samples = new List<PromSample>();
            switch (type)
            {
                case "vector":
                    foreach (var item in result.EnumerateArray())
                    {
                        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                        if (item.TryGetProperty("metric", out var metric))
                            foreach (var p in metric.EnumerateObject()) labels[p.Name] = p.Value.GetString() ?? "";
                        var (time, value) = PromValue.ReadPair(item.GetProperty("value"));
                        samples.Add(new PromSample(labels, value, time));
                    }
                    break;
                case "scalar":
                    {
                        var (time, value) = PromValue.ReadPair(result);
                        samples.Add(new PromSample(new Dictionary<string, string>(), value, time));
                        break;
                    }
                default:
                    throw new PrometheusException($"prometheus {Host}: an instant query gave a {type} result; gates need a vector or a scalar");
            }
            return new PromQueryResult(type, samples, warnings);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new PrometheusException($"prometheus {Host}: unusable answer (HTTP {(int)status}): {e.Message}", e);
        }
    }

    private static string Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static string? ErrorOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? Str(doc.RootElement, "error") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    /// <summary>A 5xx or 429 answer, retried like a network failure.</summary>
    private sealed class TransientAnswer(HttpStatusCode status, string body) : Exception($"HTTP {(int)status}")
    {
        public HttpStatusCode Status { get; } = status;
        public string Body { get; } = body;
    }
}
