using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Rollout.Persistence;

/// <summary>The held release items of one stack, persisted in <c>holds.json</c> of its rollout directory.</summary>
public sealed class HoldStore(RolloutPaths paths)
{
    public IReadOnlyList<ReleaseHold> List() => AtomicJson.Read<List<ReleaseHold>>(paths.Holds) ?? [];

    /// <summary>The holds that block <paramref name="release"/>: one per held item it contains.</summary>
    public IReadOnlyList<ReleaseHold> Blocking(ReleaseSet release)
    {
        var items = release.Items.ToHashSet(StringComparer.Ordinal);
        return [.. List().Where(h => items.Contains(h.Item))];
    }

    /// <summary>Holds each item not held yet; returns the items newly held.</summary>
    public IReadOnlyList<string> Hold(IEnumerable<string> items, string reason, string actor, DateTimeOffset now)
    {
        var holds = List().ToList();
        var added = new List<string>();
        foreach (var item in items.Distinct(StringComparer.Ordinal))
        {
            if (holds.Any(h => h.Item == item)) continue;
            holds.Add(new ReleaseHold(item, reason, actor, now));
            added.Add(item);
        }
        if (added.Count > 0) AtomicJson.Write(paths.Holds, holds, paths.Durable);
        return added;
    }

    /// <summary>Releases the holds on <paramref name="items"/>; returns the holds removed.</summary>
    public IReadOnlyList<ReleaseHold> Unhold(IEnumerable<string> items)
    {
        var wanted = items.ToHashSet(StringComparer.Ordinal);
        var holds = List().ToList();
        var removed = holds.Where(h => wanted.Contains(h.Item)).ToList();
        if (removed.Count > 0) AtomicJson.Write(paths.Holds, holds.Except(removed).ToList(), paths.Durable);
        return removed;
    }
}
