using LibGit2Sharp;

namespace EdgeInfra.Tests.Cli;

/// <summary>One commit of the fleet repo: its message (with trailers) and the files of its tree.</summary>
internal sealed record CommitInfo(string Sha, string Message, IReadOnlySet<string> Files);

/// <summary>Reads what landed in a bare fleet repo: commits on main, their trailers and the files they touched.</summary>
internal static class FleetRepoInspector
{
    /// <summary>Commits on the branch, newest first, read eagerly (the repository is closed on return).</summary>
    public static IReadOnlyList<CommitInfo> Commits(string bareRepo, string branch = "main")
    {
        using var repo = new Repository(bareRepo);
        var tip = repo.Branches[branch]?.Tip;
        if (tip is null) return [];
        return [.. repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip })
            .Select(c => new CommitInfo(c.Sha, c.Message, Paths(c.Tree, "").ToHashSet(StringComparer.Ordinal)))];
    }

    public static int CommitCount(string bareRepo)
    {
        using var repo = new Repository(bareRepo);
        var tip = repo.Branches["main"]?.Tip;
        return tip is null ? 0 : repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip }).Count();
    }

    private static IEnumerable<string> Paths(Tree tree, string prefix)
    {
        foreach (var e in tree)
        {
            if (e.TargetType == TreeEntryTargetType.Tree)
                foreach (var p in Paths((Tree)e.Target, prefix + e.Name + "/")) yield return p;
            else yield return prefix + e.Name;
        }
    }

    public static string? Trailer(CommitInfo commit, string key) =>
        commit.Message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..];

    /// <summary>Paths changed by the newest commit on main, relative to its parent.</summary>
    public static IReadOnlyList<string> ChangedPaths(string bareRepo)
    {
        using var repo = new Repository(bareRepo);
        var tip = repo.Branches["main"].Tip;
        var parentTree = tip.Parents.FirstOrDefault()?.Tree;
        return [.. repo.Diff.Compare<TreeChanges>(parentTree, tip.Tree).Select(c => c.Path).Order(StringComparer.Ordinal)];
    }

    /// <summary>Every file at the tip of main with its content.</summary>
    public static IReadOnlyDictionary<string, string> Files(string bareRepo)
    {
        using var repo = new Repository(bareRepo);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var tip = repo.Branches["main"]?.Tip;
        if (tip is null) return result;
        void Walk(Tree tree, string prefix)
        {
            foreach (var e in tree)
            {
                var path = prefix + e.Name;
                if (e.TargetType == TreeEntryTargetType.Tree) Walk((Tree)e.Target, path + "/");
                else result[path] = ((Blob)e.Target).GetContentText();
            }
        }
        Walk(tip.Tree, "");
        return result;
    }
}
