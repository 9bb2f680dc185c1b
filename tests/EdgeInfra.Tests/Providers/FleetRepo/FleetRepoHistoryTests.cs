using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

public sealed class FleetRepoHistoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetRepoTestKit _kit;

    public FleetRepoHistoryTests() => _kit = new FleetRepoTestKit(_dir.Combine("fleet.git"));

    public void Dispose()
    {
        _kit.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task ReadAsync_ThreeCommits_NewestFirstWithTrailersAndChangedPaths()
    {
        var first = await _kit.RunAsync(_kit.Provider(), ("a.yaml", "a\n"), ("dir/b.yaml", "b\n"));
        _kit.Clock.Advance(TimeSpan.FromHours(1));
        var second = await _kit.RunAsync(_kit.Provider(), ("a.yaml", "a2\n"), ("dir/b.yaml", null), ("c.yaml", "c\n"));
        var hand = GitCli.CommitAndPush(_dir.Combine("fleet.git"), "main", _dir.Combine("hand"), "hand edit", ("c.yaml", "c2\n"));

        var commits = await _kit.History().ReadAsync();

        Assert.Equal([hand, second!, first!], commits.Select(c => c.Sha));
        Assert.Empty(commits[0].Trailers);
        Assert.Equal("Second Writer", commits[0].AuthorName);
        Assert.Equal([new FleetPathChange("c.yaml", FleetPathChangeKind.Modified)], commits[0].Changes);
        Assert.Equal(FleetRepoTestKit.Trailers, commits[1].Trailers);
        Assert.Equal("canary", commits[1].Trailer("edge-ring"));
        Assert.Equal("Roll pos-app 2.4.1 to canary", commits[1].Subject);
        Assert.Equal("Roll pos-app 2.4.1 to canary", commits[1].Body);
        Assert.Equal(FleetRepoTestKit.Start.AddHours(1), commits[1].When);
        Assert.Equal([first!], commits[1].Parents);
        Assert.Equal(
            [
                new FleetPathChange("a.yaml", FleetPathChangeKind.Modified),
                new FleetPathChange("c.yaml", FleetPathChangeKind.Added),
                new FleetPathChange("dir/b.yaml", FleetPathChangeKind.Deleted),
            ],
            commits[1].Changes);
        Assert.Equal(["a.yaml", "dir/b.yaml"], commits[2].Changes.Select(c => c.Path));
        Assert.Empty(commits[2].Parents);
    }

    [Fact]
    public async Task ReadAsync_MaxCount_ReturnsNewestOnly()
    {
        await _kit.RunAsync(_kit.Provider(), ("a.yaml", "1\n"));
        var newest = await _kit.RunAsync(_kit.Provider(), ("a.yaml", "2\n"));

        var commits = await _kit.History().ReadAsync(maxCount: 1);

        Assert.Equal([newest!], commits.Select(c => c.Sha));
    }

    [Fact]
    public async Task ReadAsync_EmptyBranch_ReturnsNothing()
    {
        Assert.Empty(await _kit.History().ReadAsync());
    }
}
