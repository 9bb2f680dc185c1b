namespace EdgeInfra.Rollout.Persistence;

/// <summary>The stores awaiting catch-up of one stack, persisted in <c>catchup.json</c> of its rollout directory. It
/// outlives a rollout: a store paused by one release stays paused, under the strictest class, until it catches up.</summary>
/// <remarks>The walker reads the list several times per gate evaluation: the file is parsed again only when it was
/// replaced since the last read (another process may write it, e.g. an approval), which its modification time and length
/// tell, as every write replaces the whole file.</remarks>
public sealed class CatchUpStore(RolloutPaths paths)
{
    private (DateTime Modified, long Length) _readStamp;
    private IReadOnlyList<CatchUpEntry> _read = [];

    public IReadOnlyList<CatchUpEntry> List()
    {
        var file = new FileInfo(paths.CatchUp);
        if (!file.Exists) return [];
        var stamp = (file.LastWriteTimeUtc, file.Length);
        if (stamp == _readStamp) return _read;
        var entries = AtomicJson.Read<List<CatchUpEntry>>(paths.CatchUp) ?? [];
        (_readStamp, _read) = (stamp, entries.AsReadOnly());
        return _read;
    }

    /// <summary>The stores whose Cluster is rendered paused.</summary>
    public IReadOnlySet<string> Paused() => List().Where(e => e.Paused).Select(e => e.Store).ToHashSet(StringComparer.Ordinal);

    /// <summary>Replaces the list; this store's next <see cref="List"/> returns what it wrote without reading it back
    /// (the entries are immutable), unless another writer replaced the file since.</summary>
    public void Save(IEnumerable<CatchUpEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Ring, StringComparer.Ordinal).ThenBy(e => e.Store, StringComparer.Ordinal).ToList();
        AtomicJson.Write(paths.CatchUp, sorted, paths.Durable);
        var file = new FileInfo(paths.CatchUp);
        if (file.Exists) (_readStamp, _read) = ((file.LastWriteTimeUtc, file.Length), sorted.AsReadOnly());
    }
}
