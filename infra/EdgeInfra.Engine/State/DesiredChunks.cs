using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Cuts a stack's resources (desired or recorded) into runs whose boundaries depend on the resources' URNs, not their
/// positions, so adding, removing or changing one store changes only the run that holds it.</summary>
/// <remarks>As in content-defined chunking (rsync, restic): a run ends after a resource whose URN hashes to 0 modulo
/// <see cref="Average"/>, or at <see cref="Max"/> resources. A release bump of a 20,000-resource ring stack then stores
/// its few changed runs and a list of ~300 hashes, not another copy of the stack.</remarks>
internal static class DesiredChunks
{
    public const int Average = 64;
    public const int Max = 512;

    public static IEnumerable<ArraySegment<DesiredResource>> Split(ImmutableArray<DesiredResource> resources) =>
        Split(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(resources) ?? [], r => r.Urn);

    /// <summary>The same cut over any list of resources (checkpoints cut their recorded states).</summary>
    public static IEnumerable<ArraySegment<T>> Split<T>(T[] all, Func<T, Urn> urnOf)
    {
        var start = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (i + 1 - start < Max && !EndsRun(urnOf(all[i]))) continue;
            yield return new ArraySegment<T>(all, start, i + 1 - start);
            start = i + 1;
        }
        if (start < all.Length) yield return new ArraySegment<T>(all, start, all.Length - start);
    }

    /// <summary>FNV-1a of the URN: stable across processes and .NET versions, unlike <c>string.GetHashCode</c>.</summary>
    private static bool EndsRun(Urn urn)
    {
        var h = 2166136261u;
        foreach (var c in urn.Value) h = (h ^ c) * 16777619u;
        return h % Average == 0;
    }
}
