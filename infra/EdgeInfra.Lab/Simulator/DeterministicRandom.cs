using System.Text;

namespace EdgeInfra.Lab.Simulator;

/// <summary>Random numbers that are pure functions of (seed, purpose, subject, index): no state to carry or persist,
/// and the same answer whichever order or thread asks.</summary>
internal static class DeterministicRandom
{
    /// <summary>A number in [0, 1).</summary>
    public static double Unit(ulong seed, string purpose, string subject, long index = 0)
    {
        var h = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ Fnv(purpose));
        h = Mix(h ^ Fnv(subject));
        h = Mix(h ^ (ulong)index);
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A duration in [0, max).</summary>
    public static TimeSpan Jitter(ulong seed, TimeSpan max, string purpose, string subject, long index = 0) =>
        max <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(max.Ticks * Unit(seed, purpose, subject, index)));

    /// <summary><paramref name="nominal"/> scaled by a factor in [1 - spread, 1 + spread).</summary>
    public static TimeSpan Around(ulong seed, TimeSpan nominal, double spread, string purpose, string subject, long index = 0) =>
        TimeSpan.FromTicks((long)(nominal.Ticks * (1 - spread + 2 * spread * Unit(seed, purpose, subject, index))));

    private static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return h;
    }

    // SplitMix64's finaliser.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
