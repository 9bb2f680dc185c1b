using System.Collections.Concurrent;
using System.Diagnostics;
namespace EdgeInfra.Rollout;
public static class Probe
{
    public static readonly ConcurrentDictionary<string, (long Ticks, int Count)> Totals = new();
    public static Scope Measure(string name) => new(name, Stopwatch.GetTimestamp());
    public readonly record struct Scope(string Name, long Start) : IDisposable
    {
        public void Dispose()
        {
            var t = Stopwatch.GetTimestamp() - Start;
            Totals.AddOrUpdate(Name, (t, 1), (_, v) => (v.Ticks + t, v.Count + 1));
        }
    }
    public static void Print()
    {
        foreach (var (k, v) in Totals.OrderByDescending(p => p.Value.Ticks))
            Console.Error.WriteLine($"PROBE {k,-30} {v.Ticks * 1000.0 / Stopwatch.Frequency,10:F0} ms {v.Count,7}");
    }
}
