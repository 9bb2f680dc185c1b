using System.Collections.Concurrent;
using System.Text;
using EdgeInfra.Engine;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>One staged path: new content with its git blob id, or a removal (null content).</summary>
internal sealed record StagedFile(string Path, byte[]? Content, string? BlobId)
{
    public bool IsRemoval => Content is null;
}

/// <summary>The writes and removals staged for the next fleet repo commit; safe to call from many tasks at once.</summary>
/// <remarks>
/// A write beats a removal of the same path whatever their order, because a replace with create-before-delete (or a
/// resource moving between parents) writes the new file before it deletes the old one at the same path.
/// </remarks>
internal sealed class StagedChanges
{
    private readonly ConcurrentDictionary<string, StagedFile> _files = new(StringComparer.Ordinal);

    public int Count => _files.Count;

    /// <summary>Stages <paramref name="content"/> at <paramref name="path"/>; returns its git blob id.</summary>
    public string Write(string path, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var file = new StagedFile(path, bytes, BlobIdOf(bytes));
        _files.AddOrUpdate(path, file, (_, existing) =>
            existing.IsRemoval || existing.BlobId == file.BlobId
                ? file
                : throw new InputException($"fleet repo path '{path}' is written twice in one run with different content (two resources claim it)"));
        return file.BlobId!;
    }

    public void Remove(string path) => _files.TryAdd(path, new StagedFile(path, null, null));

    /// <summary>The staged paths, ordinal order.</summary>
    public IReadOnlyList<StagedFile> Snapshot() => [.. _files.Values.OrderBy(f => f.Path, StringComparer.Ordinal)];

    public void Clear() => _files.Clear();

    /// <summary>The id git gives a blob with these bytes (<c>git hash-object</c>).</summary>
    public static string BlobIdOf(ReadOnlySpan<byte> content) => GitPackWriter.IdOf(GitObjectKind.Blob, content);
}
