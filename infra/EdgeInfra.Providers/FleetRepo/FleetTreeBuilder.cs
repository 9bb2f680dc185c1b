using LibGit2Sharp;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Applies staged writes and removals to a commit's tree, directly in the object database (no working directory).</summary>
internal static class FleetTreeBuilder
{
    /// <summary>
    /// The tree of <paramref name="tip"/> with <paramref name="staged"/> applied; the tip's own tree (null on an empty
    /// branch) when no staged path differs from it.
    /// </summary>
    /// <remarks>
    /// Only blobs that differ are written, and <see cref="TreeDefinition"/> rebuilds only the directories on their paths;
    /// every other subtree is reused by id, which keeps a commit over 10,000+ files cheap.
    /// </remarks>
    public static Tree? Apply(Repository repository, Commit? tip, IReadOnlyList<StagedFile> staged)
    {
        var definition = tip is null ? new TreeDefinition() : TreeDefinition.From(tip.Tree);
        var changed = 0;
        foreach (var file in staged)
        {
            var existing = tip?[file.Path];
            if (file.IsRemoval)
            {
                if (existing is null) continue;
                definition.Remove(file.Path);
                changed++;
                continue;
            }
            if (existing is { TargetType: TreeEntryTargetType.Blob, Mode: Mode.NonExecutableFile } && existing.Target.Sha == file.BlobId)
                continue;
            var blobId = repository.ObjectDatabase.Write<Blob>(file.Content!);
            if (blobId.Sha != file.BlobId)
                throw new InvalidOperationException($"git stored '{file.Path}' as blob {blobId.Sha}, expected {file.BlobId}");
            definition.Add(file.Path, blobId, Mode.NonExecutableFile);
            changed++;
        }
        if (changed == 0) return tip?.Tree;
        return repository.ObjectDatabase.CreateTree(definition);
    }
}
