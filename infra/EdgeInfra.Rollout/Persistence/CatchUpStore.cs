namespace EdgeInfra.Rollout.Persistence;

/// <summary>The stores awaiting catch-up of one stack, persisted in <c>catchup.json</c> of its rollout directory. It
/// outlives a rollout: a store paused by one release stays paused, under the strictest class, until it catches up.</summary>
public sealed class CatchUpStore(RolloutPaths paths)
{
    public IReadOnlyList<CatchUpEntry> List() => AtomicJson.Read<List<CatchUpEntry>>(paths.CatchUp) ?? [];

    /// <summary>The stores whose Cluster is rendered paused.</summary>
    public IReadOnlySet<string> Paused() => List().Where(e => e.Paused).Select(e => e.Store).ToHashSet(StringComparer.Ordinal);

    public void Save(IEnumerable<CatchUpEntry> entries) =>
        AtomicJson.Write(paths.CatchUp, entries.OrderBy(e => e.Ring, StringComparer.Ordinal).ThenBy(e => e.Store, StringComparer.Ordinal).ToList());
}
