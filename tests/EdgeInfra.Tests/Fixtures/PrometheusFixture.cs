using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>How one simulated store's app answers: requests per second, the share answered 5xx, and the cumulative
/// share of requests at or under each latency bucket bound (0.05, 0.1, 0.25, 0.5, 1, 2.5; +Inf is 1).</summary>
public sealed record StoreTraffic(double Rps, double ErrorShare, double[] CumulativeLatencyShares)
{
    public static readonly double[] Bounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5];

    /// <summary>p99 ≈ 240 ms.</summary>
    public static readonly double[] Fast = [0.6, 0.9, 0.995, 1, 1, 1];

    /// <summary>p99 ≈ 2.2 s.</summary>
    public static readonly double[] Slow = [0.1, 0.2, 0.5, 0.8, 0.95, 1];
}

/// <summary>A real Prometheus (the Debian package) on a free loopback port, scraping every second a metrics endpoint the
/// fixture serves on loopback, where tests register stores whose counters grow with wall time (the metrics contract:
/// <c>http_requests_total</c> and <c>http_request_duration_seconds_bucket</c> with store, ring, app, version labels).</summary>
/// <remarks>Each test uses its own ring name, so tests share one Prometheus without seeing each other's series.
/// When prometheus is missing the fixture fails naming the package; it never skips.</remarks>
public sealed class PrometheusFixture : IAsyncLifetime
{
    public const string DebianPackage = "prometheus";
    private readonly ConcurrentDictionary<string, (string Ring, string App, string Version, StoreTraffic Traffic, Stopwatch Since)> _stores = new();
    private WebApplication? _exporter;

    public PrometheusServer Server { get; private set; } = null!;

    public Uri Url => Server.Url;

    /// <summary>The exposition endpoint Prometheus scrapes.</summary>
    public Uri MetricsUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _exporter = builder.Build();
        _exporter.MapGet("/metrics", () => Results.Text(Exposition(), "text/plain; version=0.0.4"));
        await _exporter.StartAsync();
        var address = _exporter.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        MetricsUrl = new Uri(new Uri(address), "/metrics");
        Server = await PrometheusServer.StartAsync(MetricsUrl);
    }

    /// <summary>Starts serving a store's series now (its counters start at 0); a store already served keeps its series.</summary>
    public void AddStore(string ring, string store, StoreTraffic traffic, string app = "pos-app", string version = "2.5.0") =>
        _stores.TryAdd(store, (ring, app, version, traffic, Stopwatch.StartNew()));

    /// <summary>Waits until Prometheus has scraped at least <paramref name="samples"/> samples of the ring's series.</summary>
    public async Task WaitForSamplesAsync(string ring, int samples, TimeSpan? deadline = null)
    {
        using var http = new HttpClient();
        var stop = Stopwatch.StartNew();
        var limit = deadline ?? TimeSpan.FromSeconds(40);
        var query = $"min(count_over_time(http_requests_total{{ring=\"{ring}\"}}[1m]))";
        while (stop.Elapsed < limit)
        {
            var body = await http.GetStringAsync(new Uri(Url, $"api/v1/query?query={Uri.EscapeDataString(query)}"));
            var at = body.IndexOf("\"value\":[", StringComparison.Ordinal);
            if (at >= 0)
            {
                var text = body[(body.IndexOf(",\"", at, StringComparison.Ordinal) + 2)..];
                if (double.TryParse(text[..text.IndexOf('"')], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= samples) return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"prometheus did not scrape {samples} samples of ring {ring} within {limit.TotalSeconds:0} s. Its log:\n{Server.Log}");
    }

    private string Exposition()
    {
        var sb = new StringBuilder();
        sb.Append("# TYPE http_requests_total counter\n");
        var rows = _stores.ToArray();
        foreach (var (store, s) in rows)
        {
            var total = Math.Floor(s.Traffic.Rps * s.Since.Elapsed.TotalSeconds);
            var errors = Math.Floor(total * s.Traffic.ErrorShare);
            var labels = $"store=\"{store}\",ring=\"{s.Ring}\",app=\"{s.App}\",version=\"{s.Version}\"";
            sb.Append(CultureInfo.InvariantCulture, $"http_requests_total{{{labels},code=\"200\"}} {total - errors}\n");
            sb.Append(CultureInfo.InvariantCulture, $"http_requests_total{{{labels},code=\"500\"}} {errors}\n");
        }
        sb.Append("# TYPE http_request_duration_seconds histogram\n");
        foreach (var (store, s) in rows)
        {
            var total = Math.Floor(s.Traffic.Rps * s.Since.Elapsed.TotalSeconds);
            var labels = $"store=\"{store}\",ring=\"{s.Ring}\",app=\"{s.App}\",version=\"{s.Version}\"";
            for (var i = 0; i < StoreTraffic.Bounds.Length; i++)
                sb.Append(CultureInfo.InvariantCulture,
                    $"http_request_duration_seconds_bucket{{{labels},le=\"{StoreTraffic.Bounds[i].ToString(CultureInfo.InvariantCulture)}\"}} {Math.Floor(total * s.Traffic.CumulativeLatencyShares[i])}\n");
            sb.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {total}\n");
            sb.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_sum{{{labels}}} {(total * 0.1).ToString("0.###", CultureInfo.InvariantCulture)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_count{{{labels}}} {total}\n");
        }
        return sb.ToString();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        if (_exporter is not null)
        {
            await _exporter.StopAsync();
            await _exporter.DisposeAsync();
        }
    }
}

/// <summary>One <c>prometheus</c> process on a free loopback port with a temp data dir, scraping one target every
/// second (<c>honor_labels</c>, so the target's store and ring labels stay).</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/prometheus";
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new("edgeinfra-prom-");
    private readonly StringBuilder _log = new();
    private Process? _process;

    public Uri Url { get; private set; } = null!;

    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        if (!File.Exists(Binary))
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: integration tests must run)" : "";
            throw new InvalidOperationException(
                $"{Binary} is missing{ci}: install the Debian package '{PrometheusFixture.DebianPackage}' (apt-get install -y {PrometheusFixture.DebianPackage}); ./test.sh does this when run as root");
        }
        var server = new PrometheusServer();
        File.WriteAllText(Path.Combine(server._dir.Path, "prom.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: edgeinfra-test
                honor_labels: true
                metrics_path: {target.AbsolutePath}
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            server.Start(port);
            if (await server.WaitReadyAsync(port)) return server;
            server.Stop();
            if (attempt == 3)
                throw new InvalidOperationException($"prometheus was not ready on 127.0.0.1:{port} within {ReadyDeadline.TotalSeconds:0} s (3 attempts). Its log:\n{server.Log}");
        }
    }

    private void Start(int port)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     $"--config.file={Path.Combine(_dir.Path, "prom.yml")}", $"--storage.tsdb.path={Path.Combine(_dir.Path, $"tsdb-{port}")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                 })
            start.ArgumentList.Add(arg);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    private async Task<bool> WaitReadyAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var stop = Stopwatch.StartNew();
        while (stop.Elapsed < ReadyDeadline)
        {
            if (_process!.HasExited) { Append($"[fixture] prometheus exited with {_process.ExitCode}"); return false; }
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/-/ready")).IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Starts a stopped (or killed) server again on its port with its data: a Prometheus that flaps.</summary>
    public async Task RestartAsync()
    {
        Stop();
        var port = Url.Port;
        Start(port);
        if (!await WaitReadyAsync(port))
            throw new InvalidOperationException($"prometheus did not come back on 127.0.0.1:{port} within {ReadyDeadline.TotalSeconds:0} s. Its log:\n{Log}");
    }

    /// <summary>Stops the process (the test of an unreachable Prometheus); the data dir stays until disposed.</summary>
    public void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PrometheusCollection : ICollectionFixture<PrometheusFixture>
{
    public const string Name = "prometheus";
}
