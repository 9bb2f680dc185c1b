using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Cli;

/// <summary><c>edgeinfra up</c> against a real <c>git daemon</c> on loopback, including two rings pushed at once.</summary>
[Collection(GitDaemonCollection.Name)]
public sealed class GitDaemonUpTests(GitDaemonFixture daemon) : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Up_TwoRingsAtOnceToOneRemote_BothCommitsLandNoneLost()
    {
        var remote = daemon.CreateRepo();
        PointFleetRepoAt(remote.Url);
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes")).ExitCode);

        // Two processes, two ring stacks, one branch: whichever pushes second is rejected, rebases and retries.
        var ring2 = CliRunner.RunProcessAsync(["up", "--stack", "lab", "--ring", "retail-region-2", "--yes", "--cwd", _lab.Dir], TimeSpan.FromMinutes(2));
        var all = CliRunner.RunProcessAsync(["up", "--stack", "lab", "--ring", "all", "--yes", "--cwd", _lab.Dir], TimeSpan.FromMinutes(2));
        var results = await Task.WhenAll(ring2, all);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var clone = Path.Combine(_lab.Dir, "inspect.git");
        GitCli.Run(null, "clone", "--bare", "--quiet", remote.Url, clone);
        var stacks = FleetRepoInspector.Commits(clone).Select(c => FleetRepoInspector.Trailer(c, "Edge-Stack")).ToList();
        Assert.Contains("lab.retail-region-1", stacks);
        Assert.Contains("lab.retail-region-2", stacks);
        Assert.Contains("lab.all", stacks);
        var files = FleetRepoInspector.Files(clone);
        Assert.Contains("apps/pos-app/retail-region-2/fleet.yaml", files.Keys);
        Assert.Contains("apps/pos-app/all/fleet.yaml", files.Keys);
        Assert.Equal(500, files.Keys.Count(k => k.StartsWith("hub/clusters/", StringComparison.Ordinal)));

        var noChanges = await _lab.Run("preview", "--stack", "lab", "--expect-no-changes");
        Assert.True(noChanges.ExitCode == 0, noChanges.ToString());
    }

    private void PointFleetRepoAt(string url) =>
        _lab.Edit(_lab.LabConfig, text => text.Replace("config:\n", $"config:\n  edge-infra:fleetRepo:\n    url: {url}\n"));
}
