using EdgeInfra.Providers.Prometheus;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Gates.Metrics;
using EdgeInfra.StackInputs.Config;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Rollout.Gates;

/// <summary>The compiled PromQL of the metric gates, evaluated by a real Prometheus scraping loopback stores.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusMetricGateTests(PrometheusFixture prometheus)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private const double MinRequests = 50;

    private static readonly StoreTraffic Healthy = new(30, 0.001, StoreTraffic.Fast);

    /// <summary>Every ring of these tests starts serving at once, so only the first test waits for samples.</summary>
    private async Task ServeAllAsync(string ring)
    {
        prometheus.AddStore("prom-good", "good-1", Healthy);
        prometheus.AddStore("prom-good", "good-2", Healthy);
        prometheus.AddStore("prom-errors", "errors-1", Healthy);
        prometheus.AddStore("prom-errors", "errors-2", new StoreTraffic(30, 0.1, StoreTraffic.Fast));
        prometheus.AddStore("prom-slow", "slow-1", Healthy);
        prometheus.AddStore("prom-slow", "slow-2", new StoreTraffic(30, 0.001, StoreTraffic.Slow));
        prometheus.AddStore("prom-quiet", "quiet-1", new StoreTraffic(1, 0, StoreTraffic.Fast));
        prometheus.AddStore("prom-old", "old-1", Healthy, version: "2.4.1");
        await prometheus.WaitForSamplesAsync(ring, 6);
    }

    [Fact]
    public async Task DefaultGates_HealthyRing_AreSuccessful()
    {
        await ServeAllAsync("prom-good");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-good", "10%", ["good-1", "good-2"]);

        var results = await Task.WhenAll(MetricGates.Create(Health(), source).Select(g => g.EvaluateAsync(context, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.Verdict == Verdict.Successful, $"{r.Gate}: {r.Verdict} {r.Reason}"));
        Assert.Equal(["metrics:success-rate", "metrics:error-rate", "metrics:latency-p99"], results.Select(r => r.Gate));
    }

    [Theory]
    [InlineData("success-rate")]
    [InlineData("error-rate")]
    public async Task RateGates_OneStoreAnswering10PercentErrors_FailNamingIt(string gate)
    {
        await ServeAllAsync("prom-errors");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-errors", "10%", ["errors-1", "errors-2"]);

        var result = await Gate(gate, source).EvaluateAsync(context, CancellationToken.None);

        Assert.True(result.Verdict == Verdict.Failed, $"{result.Verdict}: {result.Reason}");
        Assert.Equal(["errors-2"], result.Stores);
        Assert.Contains("store errors-2", result.Reason);
    }

    [Fact]
    public async Task LatencyP99_SlowStore_FailsNamingIt()
    {
        await ServeAllAsync("prom-slow");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-slow", "10%", ["slow-1", "slow-2"]);

        var result = await Gate("latency-p99", source).EvaluateAsync(context, CancellationToken.None);

        Assert.True(result.Verdict == Verdict.Failed, $"{result.Verdict}: {result.Reason}");
        Assert.Equal(["slow-2"], result.Stores);
    }

    [Fact]
    public async Task LatencyP99_FastStore_MeasuresItsQuantile()
    {
        await ServeAllAsync("prom-good");
        using var source = Source(prometheus.Url);

        var reading = await source.MeasureAsync(new MetricQuery(MetricMeasure.LatencyP99, "prom-good", MetricGrouping.Store, Window), CancellationToken.None);

        Assert.Null(reading.Error);
        Assert.InRange(reading.Values["good-1"], 0.1, 0.25);
    }

    [Fact]
    public async Task Gates_RingWithoutSeries_AreInconclusiveForNoData()
    {
        await ServeAllAsync("prom-good");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-nobody", "10%", ["nobody-1"]);

        var results = await Task.WhenAll(MetricGates.Create(Health(), source).Select(g => g.EvaluateAsync(context, CancellationToken.None)));

        Assert.All(results, r =>
        {
            Assert.Equal(Verdict.Inconclusive, r.Verdict);
            Assert.Contains("no data", r.Reason);
        });
    }

    [Fact]
    public async Task Gates_TooFewRequests_AreInconclusiveNotSuccessful()
    {
        await ServeAllAsync("prom-quiet");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-quiet", "10%", ["quiet-1"]);

        var result = await Gate("error-rate", source).EvaluateAsync(context, CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("below the minimum", result.Reason);
    }

    [Fact]
    public async Task AppGate_OnlyTheNewVersionIsMeasured()
    {
        await ServeAllAsync("prom-old");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-old", "10%", ["old-1"], releases: new Dictionary<string, string> { ["pos-app"] = "2.5.0" });
        var spec = MetricGateSpec.Defaults(Window, MinRequests)[1] with { App = "pos-app" };

        var result = await new MetricGate(spec, source).EvaluateAsync(context, CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("pos-app 2.5.0", result.Reason);
    }

    [Fact]
    public async Task DefaultGates_RingStillServingThePreviousRelease_AreInconclusiveForNoData()
    {
        await ServeAllAsync("prom-old");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-old", "10%", ["old-1"], releases: new Dictionary<string, string> { ["pos-app"] = "2.5.0" });

        var results = await Task.WhenAll(MetricGates.Create(Health(), source).Select(g => g.EvaluateAsync(context, CancellationToken.None)));

        // old-1 answers healthily, but at 2.4.1: its traffic says nothing about 2.5.0.
        Assert.All(results, r =>
        {
            Assert.Equal(Verdict.Inconclusive, r.Verdict);
            Assert.Contains("no data", r.Reason);
        });
    }

    [Fact]
    public async Task RawPromQl_RingPlaceholder_IsEvaluated()
    {
        await ServeAllAsync("prom-errors");
        using var source = Source(prometheus.Url);
        var context = GateContexts.For("prom-errors", "10%", ["errors-1", "errors-2"]);
        var query = "sum by (store) (rate(http_requests_total{ring=\"$ring\",code=\"500\"}[10s]))";
        var spec = new MetricGateSpec("5xx-per-second", MetricKind.PromQl, 1, MetricComparison.AtMost, MetricScope.Store, Window, 0, Query: query);

        var result = await new MetricGate(spec, source).EvaluateAsync(context, CancellationToken.None);

        Assert.True(result.Verdict == Verdict.Failed, $"{result.Verdict}: {result.Reason}");
        Assert.Equal(["errors-2"], result.Stores);
    }

    [Fact]
    public async Task RawPromQl_BadQuery_IsInconclusiveWithPrometheusError()
    {
        using var source = Source(prometheus.Url);
        var spec = new MetricGateSpec("broken", MetricKind.PromQl, 1, MetricComparison.AtMost, MetricScope.Ring, Window, 0, Query: "sum(rate(");

        var result = await new MetricGate(spec, source).EvaluateAsync(GateContexts.For("prom-good", "10%", ["good-1"]), CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("bad_data", result.Reason);
    }

    [Fact]
    public async Task Gates_PrometheusStopped_AreInconclusiveWithTheReason()
    {
        await using var own = await PrometheusServer.StartAsync(prometheus.MetricsUrl);
        var url = own.Url;
        own.Stop();
        using var source = Source(url);
        var context = GateContexts.For("prom-good", "10%", ["good-1"]);

        var results = await Task.WhenAll(MetricGates.Create(Health(), source).Select(g => g.EvaluateAsync(context, CancellationToken.None)));

        Assert.All(results, r =>
        {
            Assert.Equal(Verdict.Inconclusive, r.Verdict);
            Assert.Contains("unreachable", r.Reason);
        });
    }

    private static PrometheusMetricsSource Source(Uri url) => new(new PrometheusClient(url, TimeSpan.FromSeconds(5), retries: 1));

    private static HealthSettings Health() => new(null, MetricGateSpec.Defaults(Window, MinRequests), TimeSpan.FromSeconds(5));

    private static MetricGate Gate(string name, IMetricsSource source) =>
        new(MetricGateSpec.Defaults(Window, MinRequests).Single(g => g.Name == name), source);
}
