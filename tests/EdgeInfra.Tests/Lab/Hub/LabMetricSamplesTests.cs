using EdgeInfra.Automation;
using EdgeInfra.Rollout.Gates.Metrics;
using EdgeInfra.Tests.Lab.Simulator;

namespace EdgeInfra.Tests.Lab.Hub;

/// <summary>The lab's metrics read in process (the rehearsal's gates) against the same lab's <c>/metrics</c> text parsed:
/// every measure, per store and per ring, at every instant of a rollout.</summary>
public sealed class LabMetricSamplesTests : IAsyncLifetime
{
    private readonly TestFleetRepo _repo = new();
    private SimLab _lab = null!;

    public async Task InitializeAsync() => _lab = await SimLab.StartMidRolloutAsync(_repo);

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Measure_InProcessSamples_EqualTheParsedExposition()
    {
        var parsed = new LabMetricsSource((ring, _) => Task.FromResult(_lab.Hub.MetricsText(ring)), _lab.Clock);
        var inProcess = new LabMetricsSource(ring => HubConnector.LabSamples(_lab.Hub, ring), _lab.Clock);
        var rings = _lab.Hub.MetricsText(null).Split('\n').Select(RingOf).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(rings);

        var compared = 0;
        for (var minute = 0; minute < 12; minute++)
        {
            foreach (var ring in rings)
                foreach (var measure in Enum.GetValues<MetricMeasure>())
                    foreach (var grouping in Enum.GetValues<MetricGrouping>())
                    {
                        var query = new MetricQuery(measure, ring, grouping, TimeSpan.FromMinutes(5));
                        var expected = await parsed.MeasureAsync(query, CancellationToken.None);
                        var actual = await inProcess.MeasureAsync(query, CancellationToken.None);
                        Assert.Null(actual.Error);
                        Assert.Equal(expected.Values.OrderBy(v => v.Key), actual.Values.OrderBy(v => v.Key));
                        compared += actual.Values.Count;
                    }
            _lab.Advance(TimeSpan.FromMinutes(1));
        }
        // Rates need two scrapes: most comparisons after the first minute carry values.
        Assert.True(compared > 100, $"only {compared} values compared");
    }

    private static string? RingOf(string line)
    {
        var at = line.IndexOf("ring=\"", StringComparison.Ordinal);
        return at < 0 ? null : line[(at + 6)..line.IndexOf('"', at + 6)];
    }
}
