using System.Diagnostics;

namespace EdgeInfra.Automation;

/// <summary>Prints how long each phase of a verb took to stderr when <c>EDGEINFRA_TIMINGS=1</c>, for benchmarks and
/// for finding out where a slow run spends its time on a big fleet.</summary>
internal static class PhaseTimer
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("EDGEINFRA_TIMINGS") == "1";

    public static Phase Start(string name) => new(Enabled ? name : null);

    /// <summary>Prints a line of timings measured elsewhere (e.g. the lab hub's own split).</summary>
    public static void Report(Func<string> line)
    {
        if (Enabled) Console.Error.WriteLine($"timing: {line()}");
    }

    /// <summary>One timed phase; disposing it prints the elapsed time.</summary>
    internal readonly struct Phase(string? name) : IDisposable
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        public void Dispose()
        {
            if (name is not null)
                Console.Error.WriteLine($"timing: {name}: {Stopwatch.GetElapsedTime(_start).TotalMilliseconds:F0} ms");
        }
    }
}
