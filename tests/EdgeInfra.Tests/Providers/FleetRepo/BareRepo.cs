using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>Reads a bare repo on disk through the real git CLI, so assertions do not trust the code under test.</summary>
internal sealed class BareRepo(string path, string branch = "main")
{
    public string Path { get; } = path;

    public string Git(params string[] args) => GitCli.Run(Path, args);

    public string Tip() => Git("rev-parse", $"refs/heads/{branch}").Trim();

    public int CommitCount() => int.Parse(Git("rev-list", "--count", $"refs/heads/{branch}").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public string Message(string rev) => Git("log", "-1", "--format=%B", rev);

    public string Show(string rev, string path) => Git("show", $"{rev}:{path}");

    public IReadOnlyList<string> Files(string rev) =>
        Git("ls-tree", "-r", "--name-only", rev).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The commit's changes as <c>git diff-tree --name-status</c> lines (<c>M\tpath</c>), sorted.</summary>
    public IReadOnlyList<string> Diff(string rev) =>
        [.. Git("diff-tree", "--root", "--no-commit-id", "--name-status", "-r", rev)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> Parents(string rev) =>
        Git("log", "-1", "--format=%P", rev).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
