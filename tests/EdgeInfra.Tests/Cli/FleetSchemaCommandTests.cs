namespace EdgeInfra.Tests.Cli;

/// <summary><c>preview</c> and <c>up</c> refuse rendered Fleet objects that Fleet's own schemas reject, before any commit.</summary>
public sealed class FleetSchemaCommandTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    // A Fleet object shipped in a manifests bundle, with a typo Fleet's API server would prune silently.
    private const string GitRepoWithTypo = """
        apiVersion: fleet.cattle.io/v1alpha1
        kind: GitRepo
        metadata:
          name: store-extras
        spec:
          repo: https://git.example.com/extras
          pollingIntervall: 1m
        """;

    [Theory]
    [InlineData("preview", "--stack", "lab")]
    [InlineData("up", "--stack", "lab", "--all-rings", "--yes")]
    public async Task Verb_RenderedFleetObjectViolatesCrd_Exits2NamingFileAndPathAndCommitsNothing(params string[] args)
    {
        File.WriteAllText(Path.Combine(_lab.Dir, "stacks", "apps", "store-baseline", "extras-gitrepo.yaml"), GitRepoWithTypo);

        var run = await _lab.Run(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        foreach (var ring in new[] { "retail-region-1", "retail-region-2", "all" })
            Assert.Contains($"apps/store-baseline/{ring}/extras-gitrepo.yaml: $.spec.pollingIntervall: unknown field", run.Error);
        Assert.False(Directory.Exists(_lab.FleetRepo));
        Assert.False(Directory.Exists(Path.Combine(_lab.Dir, ".edgeinfra", ".pulumi", "stacks")));
    }

    [Fact]
    public async Task Preview_AfterACleanRunCachedItsValidation_StillRefusesANewViolation()
    {
        Assert.Equal(0, (await _lab.Run("preview", "--stack", "lab")).ExitCode);
        Assert.True(File.Exists(Path.Combine(_lab.Dir, ".edgeinfra", "cache", "fleet-schema", "lab")));
        File.WriteAllText(Path.Combine(_lab.Dir, "stacks", "apps", "store-baseline", "extras-gitrepo.yaml"), GitRepoWithTypo);

        var run = await _lab.Run("preview", "--stack", "lab");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("$.spec.pollingIntervall: unknown field", run.Error);
    }

    [Fact]
    public async Task Preview_RenderedFleetObjectValid_Passes()
    {
        File.WriteAllText(Path.Combine(_lab.Dir, "stacks", "apps", "store-baseline", "extras-gitrepo.yaml"),
            GitRepoWithTypo.Replace("pollingIntervall", "pollingInterval", StringComparison.Ordinal));

        var run = await _lab.Run("preview", "--stack", "lab");

        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
