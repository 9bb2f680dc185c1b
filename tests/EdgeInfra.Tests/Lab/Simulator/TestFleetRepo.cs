using LibGit2Sharp;

namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>A bare fleet repo in a temp dir that a test commits files to, with fixed signatures so the same files give the same commit ids.</summary>
internal sealed class TestFleetRepo : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _commits;

    public TestFleetRepo()
    {
        Dir = Directory.CreateTempSubdirectory("edgeinfra-sim-").FullName;
        Path = System.IO.Path.Combine(Dir, "fleet.git");
        Repository.Init(Path, isBare: true);
    }

    public string Dir { get; }
    public string Path { get; }
    public string StateDir => System.IO.Path.Combine(Dir, "lab");

    /// <summary>Commits <paramref name="files"/> on top of main (a null content deletes the file); returns the commit id.</summary>
    public string Commit(string message, IReadOnlyDictionary<string, string?> files)
    {
        using var repo = new Repository(Path);
        var parent = repo.Branches["main"]?.Tip;
        var tree = parent is null ? new TreeDefinition() : TreeDefinition.From(parent.Tree);
        foreach (var (path, content) in files)
        {
            if (content is null)
            {
                tree.Remove(path);
                continue;
            }
            var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));
            tree.Add(path, blob, Mode.NonExecutableFile);
        }
        var signature = new Signature("Test", "test@example.test", When.AddMinutes(++_commits));
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, message, repo.ObjectDatabase.CreateTree(tree),
            parent is null ? [] : [parent], prettifyMessage: true);
        repo.Refs.Add("refs/heads/main", commit.Id, allowOverwrite: true);
        return commit.Sha;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { /* cleaned by the OS */ }
    }
}
