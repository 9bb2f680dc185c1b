using CsCheck;
using EdgeInfra.Rollout.Gates.Metrics;

namespace EdgeInfra.Tests.Rollout.Gates;

/// <summary>The sample history's rates against a plain reading of Prometheus' rate(): every point kept in a list,
/// points older than the retention dropped at every scrape (one baseline kept), the increase summed point by point
/// with resets counted as the new value.</summary>
public sealed class SampleHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(6);

    /// <summary>The semantics the history keeps, written the slow, obvious way.</summary>
    private sealed class Reference
    {
        public readonly List<(DateTimeOffset At, double Value)> Points = [];

        public void Add(DateTimeOffset at, double value)
        {
            if (Points.Count > 0 && Points[^1].At >= at) return;
            Points.Add((at, value));
        }

        public void Drop(DateTimeOffset at)
        {
            var firstKept = Points.FindLastIndex(p => p.At <= at - Retention);
            if (firstKept > 0) Points.RemoveRange(0, firstKept);
        }

        public (double, double)? RateOver(DateTimeOffset now, TimeSpan window)
        {
            var last = Points.FindLastIndex(p => p.At <= now);
            if (last < 1) return null;
            var first = Points.FindLastIndex(p => p.At <= now - window);
            if (first < 0) first = 0;
            if (first >= last) return null;
            var increase = 0.0;
            for (var i = first + 1; i <= last; i++)
            {
                var delta = Points[i].Value - Points[i - 1].Value;
                increase += delta >= 0 ? delta : Points[i].Value;
            }
            var seconds = (Points[last].At - Points[first].At).TotalSeconds;
            return seconds > 0 ? (increase / seconds, seconds) : null;
        }
    }

    [Fact]
    public void RateOver_RandomScrapesResetsAndWindows_EqualsThePlainReading()
    {
        // Each step: seconds to the next scrape (15 s to 2 h), the counter's growth, whether it resets, a window (1 min to 9 h).
        var step = Gen.Select(Gen.Int[15, 7200], Gen.Int[0, 5000], Gen.Int[0, 19], Gen.Int[1, 540]);
        step.Array[1, 120].Sample(steps =>
        {
            var history = new SampleHistory(Retention);
            var reference = new Reference();
            var at = Start;
            var value = 0.0;
            foreach (var (seconds, growth, reset, windowMinutes) in steps)
            {
                at += TimeSpan.FromSeconds(seconds);
                value = reset == 0 ? growth : value + growth;
                history.Add(at, [new KeyedSample("c{store=\"s\"}", "c", Labels, value)]);
                reference.Add(at, value);
                reference.Drop(at);
                var series = history.Select("c", new Dictionary<string, string>()).Single();
                var window = TimeSpan.FromMinutes(windowMinutes);
                Assert.Equal(reference.RateOver(at, window), history.RateOver(series, at, window));
            }
        }, iter: 300);
    }

    [Fact]
    public void Add_SameKeyTextFromAnotherInstance_FilesTheSampleInTheSameSeries()
    {
        var history = new SampleHistory(Retention);
        history.Add(Start, [new KeyedSample(new string("c{store=\"s\"}".ToCharArray()), "c", Labels, 10)]);
        history.Add(Start.AddMinutes(1), [new KeyedSample(new string("c{store=\"s\"}".ToCharArray()), "c", Labels, 70)]);

        var series = Assert.Single(history.Select("c", new Dictionary<string, string>()));
        Assert.Equal(1.0, history.Rate(series, Start.AddMinutes(1), TimeSpan.FromMinutes(5)));
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal) { ["store"] = "s" };
}
