using LibGit2Sharp;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Every file path of one commit's tree mapped to its blob id, built in one walk for fast repeated reads.</summary>
/// <remarks>A refresh reads every fleet repo file of a stack; one walk beats 10,000 path lookups from the root.</remarks>
internal sealed class TipIndex
{
    private readonly Dictionary<string, ObjectId> _blobs = new(StringComparer.Ordinal);

    public TipIndex(Commit tip)
    {
        Commit = tip;
        Walk(tip.Tree, "");
    }

    public Commit Commit { get; }

    public ObjectId? BlobAt(string path) => _blobs.GetValueOrDefault(path);

    private void Walk(Tree tree, string prefix)
    {
        foreach (var entry in tree)
        {
            if (entry.TargetType == TreeEntryTargetType.Tree) Walk((Tree)entry.Target, prefix + entry.Name + "/");
            else if (entry.TargetType == TreeEntryTargetType.Blob) _blobs[prefix + entry.Name] = entry.Target.Id;
        }
    }
}
