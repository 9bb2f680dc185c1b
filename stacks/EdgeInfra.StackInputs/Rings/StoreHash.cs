namespace EdgeInfra.StackInputs.Rings;

/// <summary>A seeded 64-bit hash of a store id (FNV-1a finished with SplitMix64): the same on every machine and run.</summary>
internal static class StoreHash
{
    public static ulong Of(string id, ulong seed)
    {
        var h = 14695981039346656037UL ^ Mix(seed);
        foreach (var c in id)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return Mix(h);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
