using EdgeInfra.Rollout.Gates.Metrics;

namespace EdgeInfra.Tests.Rollout.Gates;

/// <summary>The PromQL that structured metric gates compile to.</summary>
public sealed class PromQlCompilerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(MetricMeasure.ErrorRatio, MetricGrouping.Store,
        "(sum by (store) (rate(http_requests_total{ring=\"canary\",app=\"pos-app\",version=\"2.5.0\",code=~\"5..\"}[300s])) or 0 * " +
        "sum by (store) (rate(http_requests_total{ring=\"canary\",app=\"pos-app\",version=\"2.5.0\"}[300s]))) / " +
        "sum by (store) (rate(http_requests_total{ring=\"canary\",app=\"pos-app\",version=\"2.5.0\"}[300s]))")]
    [InlineData(MetricMeasure.LatencyP99, MetricGrouping.Ring,
        "histogram_quantile(0.99, sum by (le, ring) (rate(http_request_duration_seconds_bucket{ring=\"canary\",app=\"pos-app\",version=\"2.5.0\"}[300s])))")]
    [InlineData(MetricMeasure.RequestCount, MetricGrouping.Ring,
        "sum by (ring) (increase(http_requests_total{ring=\"canary\",app=\"pos-app\",version=\"2.5.0\"}[300s]))")]
    public void Compile_OneReleasedApp_SelectsItsNewVersion(MetricMeasure measure, MetricGrouping grouping, string expected)
    {
        var query = new MetricQuery(measure, "canary", grouping, Window, new Dictionary<string, string> { ["pos-app"] = "2.5.0" });

        Assert.Equal(expected, PromQlCompiler.Compile(query));
    }

    [Fact]
    public void Compile_TwoReleasedApps_UnitesTheirNewVersionsWithOr()
    {
        var query = new MetricQuery(MetricMeasure.RequestCount, "canary", MetricGrouping.Store, Window,
            new Dictionary<string, string> { ["pos-app"] = "2.5.0", ["kiosk"] = "1.2.0" });

        Assert.Equal(
            "sum by (store) ((increase(http_requests_total{ring=\"canary\",app=\"kiosk\",version=\"1.2.0\"}[300s]) or " +
            "increase(http_requests_total{ring=\"canary\",app=\"pos-app\",version=\"2.5.0\"}[300s])))",
            PromQlCompiler.Compile(query));
    }

    [Theory]
    [InlineData("canary", "ring=\"canary\"")]
    [InlineData("we\"ird\\ring", "ring=\"we\\\"ird\\\\ring\"")]
    public void Compile_NoRelease_SelectsEveryAppOfTheRingQuoted(string ring, string matcher)
    {
        var compiled = PromQlCompiler.Compile(new MetricQuery(MetricMeasure.RequestCount, ring, MetricGrouping.Ring, Window));

        Assert.Equal($"sum by (ring) (increase(http_requests_total{{{matcher}}}[300s]))", compiled);
    }
}
