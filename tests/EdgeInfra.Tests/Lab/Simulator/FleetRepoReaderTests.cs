using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Tests.Lab.Simulator;

public sealed class FleetRepoReaderTests
{
    [Fact]
    public void HeadCommit_BranchMovesThenRefsArePacked_FollowsTheBranch()
    {
        using var repo = new TestFleetRepo();
        var reader = new FleetRepoReader(repo.Path, "main");
        Assert.Equal("", reader.HeadCommit());

        var first = repo.Commit("first", new Dictionary<string, string?> { ["a.yaml"] = "a: 1\n" });
        Assert.Equal(first, reader.HeadCommit());
        var second = repo.Commit("second", new Dictionary<string, string?> { ["a.yaml"] = "a: 2\n" });
        Assert.Equal(second, reader.HeadCommit());

        // git gc packs refs: the loose file goes, the branch lives in packed-refs.
        PackRefs(repo.Path);
        Assert.False(File.Exists(Path.Combine(repo.Path, "refs", "heads", "main")));
        Assert.Equal(second, reader.HeadCommit());

        var third = repo.Commit("third", new Dictionary<string, string?> { ["a.yaml"] = "a: 3\n" });
        Assert.Equal(third, reader.HeadCommit());
    }

    private static void PackRefs(string bare)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["--git-dir", bare, "pack-refs", "--all"])
        {
            RedirectStandardError = true,
        })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
