using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs.Rings;

namespace EdgeInfra.StackInputs;

/// <summary>Assigns stores to percentage rings: deterministic, stable as stores are added, canary spread over strata.</summary>
/// <remarks>
/// Stores that already carry a valid <c>rollout-ring</c> keep it; only the others are placed, filling each ring toward
/// its target. The first ring takes one store from each uncovered (region × network-tier × hardware-class) stratum,
/// largest strata first; every later slot is dealt in a stratified order (each stratum's stores spread evenly along
/// it), so every ring is a proportional sample of the fleet. Order within a stratum is a seeded hash of the store id.
/// </remarks>
public static class RingAssigner
{
    public const ulong DefaultSeed = 20261201;

    /// <summary>Ring sizes for <paramref name="total"/> stores: cumulative percentages rounded, each ring at least one store when possible.</summary>
    public static ImmutableArray<int> Sizes(int total, IReadOnlyList<RingSpec> rings)
    {
        var sizes = ImmutableArray.CreateBuilder<int>(rings.Count);
        var previous = 0;
        for (var i = 0; i < rings.Count; i++)
        {
            var later = rings.Count - 1 - i;
            var target = i == rings.Count - 1 ? total
                : (int)Math.Round(total * (rings[i].Percent ?? 100) / 100.0, MidpointRounding.AwayFromZero);
            int lo = previous + 1, hi = total - later;
            // Fewer stores than rings: the earliest rings get one each, the rest stay empty.
            var cumulative = lo <= hi ? Math.Clamp(target, lo, hi) : Math.Min(previous + 1, total);
            sizes.Add(cumulative - previous);
            previous = cumulative;
        }
        return sizes.MoveToImmutable();
    }

    public static string Stratum(Store s) =>
        $"{s.Region ?? "-"}/{s.Label(StoreLabels.NetworkTier) ?? "-"}/{s.Label(StoreLabels.HardwareClass) ?? "-"}";

    /// <exception cref="FleetModelException">A ring before the last has no percentage.</exception>
    public static RingAssignment Assign(IReadOnlyList<Store> stores, IReadOnlyList<RingSpec> rings, ulong seed = DefaultSeed)
    {
        var ordered = rings.OrderBy(r => r.Order).ToList();
        var missing = ordered.Take(ordered.Count - 1).Where(r => r.Percent is null).ToList();
        if (ordered.Count == 0 || missing.Count > 0)
            throw new FleetModelException(ordered.Count == 0 ? ["no rings are configured"]
                : missing.Select(r => $"{r.Location}: ring '{r.Name}' has no percent; assigning rings needs a percentage on every ring but the last").ToList());

        var index = ordered.Select((r, i) => (r.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var sizes = Sizes(stores.Count, ordered);
        var counts = new int[ordered.Count];
        var unassigned = new List<Store>();
        var canaryStrata = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in stores)
        {
            if (s.Ring is { } r && index.TryGetValue(r, out var i))
            {
                counts[i]++;
                if (i == 0) canaryStrata.Add(Stratum(s));
            }
            else unassigned.Add(s);
        }

        // Slots per ring for the unassigned stores: each ring's shortfall, in ring order; the last ring takes the rest.
        var slots = new int[ordered.Count];
        var left = unassigned.Count;
        for (var i = 0; i < ordered.Count; i++)
        {
            slots[i] = i == ordered.Count - 1 ? left : Math.Min(left, Math.Max(0, sizes[i] - counts[i]));
            left -= slots[i];
        }

        var strataSizes = stores.GroupBy(Stratum, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var strata = strataSizes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToImmutableArray();
        var hashes = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var s in unassigned) hashes[s.Id] = StoreHash.Of(s.Id, seed);
        var byStratum = unassigned.GroupBy(Stratum, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => hashes[s.Id]).ThenBy(s => s.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        var assigned = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var first = ordered[0].Name;
        foreach (var stratum in strata)
        {
            if (slots[0] == 0) break;
            if (canaryStrata.Contains(stratum) || !byStratum.TryGetValue(stratum, out var candidates) || candidates.Count == 0) continue;
            var pick = candidates[0];
            candidates.RemoveAt(0);
            assigned[pick.Id] = first;
            canaryStrata.Add(stratum);
            slots[0]--;
            counts[0]++;
        }

        // Stratified order: store j of a stratum with m stores sits at (j + 0.5) / m, so strata interleave evenly.
        var dealt = byStratum.Values
            .SelectMany(list => list.Select((s, j) => (Store: s, Key: (j + 0.5) / list.Count)))
            .OrderBy(x => x.Key).ThenBy(x => hashes[x.Store.Id]).ThenBy(x => x.Store.Id, StringComparer.Ordinal)
            .Select(x => x.Store);
        var ring = 0;
        foreach (var s in dealt)
        {
            while (slots[ring] == 0) ring++;
            assigned[s.Id] = ordered[ring].Name;
            if (ring == 0) canaryStrata.Add(Stratum(s));
            slots[ring]--;
            counts[ring]++;
        }

        var ringCounts = ordered.Select((r, i) => new RingCount(r.Name, sizes[i], counts[i])).ToImmutableArray();
        return new RingAssignment(assigned.ToImmutable(), ringCounts, strata,
            [.. strata.Where(canaryStrata.Contains)]);
    }
}
