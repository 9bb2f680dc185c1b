using EdgeInfra.Providers.Prometheus;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.Prometheus;

[Collection(PrometheusCollection.Name)]
public sealed class PrometheusClientTests(PrometheusFixture prometheus)
{
    [Theory]
    [InlineData("0/0", "scalar", double.NaN)]
    [InlineData("1/0", "scalar", double.PositiveInfinity)]
    [InlineData("-1/0", "scalar", double.NegativeInfinity)]
    [InlineData("scalar(vector(0.25))", "scalar", 0.25)]
    [InlineData("vector(2) * 1.5", "vector", 3.0)]
    public async Task Query_SpecialAndPlainValues_Parse(string query, string type, double expected)
    {
        using var client = new PrometheusClient(prometheus.Url, TimeSpan.FromSeconds(5));

        var result = await client.QueryAsync(query, null, CancellationToken.None);

        Assert.Equal(type, result.ResultType);
        Assert.Equal(expected, Assert.Single(result.Samples).Value);
    }

    [Fact]
    public async Task Query_AtATime_CarriesTheTimestampAndLabels()
    {
        using var client = new PrometheusClient(prometheus.Url, TimeSpan.FromSeconds(5));
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);

        var result = await client.QueryAsync("label_replace(vector(1), \"store\", \"s-1\", \"\", \"\")", at, CancellationToken.None);

        var sample = Assert.Single(result.Samples);
        Assert.Equal(at, sample.Timestamp);
        Assert.Equal("s-1", sample.Label("store"));
    }

    [Fact]
    public async Task Query_RangeVector_IsRejectedWithAReason()
    {
        using var client = new PrometheusClient(prometheus.Url, TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<PrometheusException>(() => client.QueryAsync("up[1m]", null, CancellationToken.None));

        Assert.Contains("matrix", e.Message);
    }
}
