using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>The trees and pack the provider writes itself must be exactly what git would write.</summary>
public sealed class FleetTreeBuilderTests : IDisposable
{
    private static readonly (string Path, string? Content)[] TrickyNames =
    [
        ("a", "file a\n"), ("a-b", "1\n"), ("a.b", "2\n"), ("a0", "3\n"), ("ab/c", "4\n"), ("b/a/z.yaml", "5\n"),
        ("b/a.yaml", "6\n"), ("b/a-/x", "7\n"), ("é/ü.yaml", "8\n"), ("Z", "9\n"), ("empty.yaml", ""),
    ];

    private readonly TempDirectory _dir = new();
    private readonly FleetRepoTestKit _kit;
    private readonly BareRepo _remote;

    public FleetTreeBuilderTests()
    {
        _kit = new FleetRepoTestKit(_dir.Combine("fleet.git"));
        _remote = new BareRepo(_dir.Combine("fleet.git"));
    }

    public void Dispose()
    {
        _kit.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CompleteAsync_TrickyNames_TreeIdEqualsWhatGitWrites()
    {
        var sha = await _kit.RunAsync(_kit.Provider(), TrickyNames);

        Assert.Equal(GitWriteTree(TrickyNames), _remote.Git("rev-parse", $"{sha}^{{tree}}").Trim());
        _remote.Git("fsck", "--strict", "--no-dangling");
    }

    [Fact]
    public async Task CompleteAsync_ChangesOnTopOfTrickyTree_TreeIdEqualsWhatGitWrites()
    {
        var options = _kit.Options();
        await _kit.RunAsync(_kit.Provider(options), TrickyNames);
        (string, string?)[] change = [("b/a/z.yaml", null), ("a-b", "changed\n"), ("new/dir/f", "f\n"), ("ab/c", null)];

        var sha = await _kit.RunAsync(_kit.Provider(options), change);

        var expected = TrickyNames.Where(f => f.Path is not ("b/a/z.yaml" or "ab/c" or "a-b"))
            .Append(("a-b", "changed\n")).Append(("new/dir/f", "f\n")).ToArray();
        Assert.Equal(GitWriteTree(expected), _remote.Git("rev-parse", $"{sha}^{{tree}}").Trim());
        Assert.Equal(["A\tnew/dir/f", "D\tab/c", "D\tb/a/z.yaml", "M\ta-b"], _remote.Diff(sha!));
        // The cache that wrote the pack must itself be a valid repository.
        GitCli.Run(options.CacheDir, "fsck", "--strict", "--no-dangling");
    }

    [Fact]
    public async Task CompleteAsync_HandMadeExecutableWithSameContent_RewrittenAsRegularFile()
    {
        await _kit.RunAsync(_kit.Provider(), ("run.sh", "echo\n"));
        var hand = _dir.Combine("hand");
        GitCli.Run(null, "clone", "-q", _remote.Path, hand);
        GitCli.Run(hand, "update-index", "--chmod=+x", "run.sh");
        GitCli.Run(hand, "commit", "-q", "-m", "chmod");
        GitCli.Run(hand, "push", "-q", "origin", "HEAD:refs/heads/main");

        var sha = await _kit.RunAsync(_kit.Provider(), ("run.sh", "echo\n"));

        Assert.StartsWith("100644 blob", _remote.Git("ls-tree", sha!, "run.sh"));
    }

    // The tree id git itself computes for these files, via a scratch work tree and `git write-tree`.
    private string GitWriteTree((string Path, string? Content)[] files)
    {
        var work = _dir.Combine($"work-{Guid.NewGuid():N}");
        GitCli.Run(null, "init", "-q", work);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        GitCli.Run(work, "add", "-A");
        return GitCli.Run(work, "write-tree").Trim();
    }
}
