using System.Collections.Immutable;

namespace EdgeInfra.StackInputs;

/// <summary>What a ring assignment did: the new labels, ring sizes, and how many strata the canary covers.</summary>
/// <param name="Assigned">Store id → ring, only for stores that had no valid rollout-ring before.</param>
/// <param name="Rings">Per ring in order: its target size and its size after assignment.</param>
/// <param name="Strata">Every (region × network-tier × hardware-class) stratum, largest first.</param>
/// <param name="CanaryStrata">The strata the first ring covers after assignment.</param>
public sealed record RingAssignment(
    ImmutableSortedDictionary<string, string> Assigned,
    ImmutableArray<RingCount> Rings,
    ImmutableArray<string> Strata,
    ImmutableArray<string> CanaryStrata)
{
    /// <summary>A short human summary, one line per ring plus canary coverage.</summary>
    public string Summary()
    {
        var lines = Rings.Select(r => $"{r.Ring}: {r.Stores} store(s) (target {r.Target})").ToList();
        lines.Add($"{Assigned.Count} store(s) newly assigned");
        if (Rings.Length > 0)
            lines.Add($"{Rings[0].Ring} covers {CanaryStrata.Length} of {Strata.Length} region × network-tier × hardware-class strata");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>One ring's size: what its percentage asks for and what it holds.</summary>
public sealed record RingCount(string Ring, int Target, int Stores);
