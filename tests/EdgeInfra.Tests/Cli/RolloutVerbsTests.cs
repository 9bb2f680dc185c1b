using EdgeInfra.Automation;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Cli;

/// <summary>The rollout host's operator verbs against the shipped lab project and its local bare fleet repo.</summary>
public sealed class RolloutVerbsTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    private string RingBundle => FleetRepoInspector.Files(_lab.FleetRepo)["apps/pos-app/retail-region-1/fleet.yaml"];

    private async Task Ok(params string[] args)
    {
        var run = await _lab.Run(args);
        Assert.True(run.ExitCode == 0, $"{string.Join(" ", args)}: {run}");
    }

    [Fact]
    public async Task Rollback_ByHand_ReturnsTheRingHoldsTheReleaseAndUpRefusesItUntilUnheld()
    {
        await Ok("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        await Ok("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        await Ok("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.Contains("2.5.0", RingBundle);

        var rollback = await _lab.Run("rollback", "--stack", "lab", "--ring", "retail-region-1", "--reason", "checkout errors");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("retail-region-1: back on v1 (pos-app=2.4.1,store-baseline=1.0.0)", rollback.Out);
        Assert.Contains("holding pos-app=2.5.0", rollback.Out);
        Assert.DoesNotContain("2.5.0", RingBundle);
        Assert.Contains("2.4.1", RingBundle);

        var refused = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("pos-app=2.5.0 held by", refused.Error);
        Assert.Contains("edgeinfra unhold --stack lab pos-app=2.5.0", refused.Error);
        Assert.DoesNotContain("2.5.0", RingBundle);

        await Ok("unhold", "--stack", "lab", "pos-app=2.5.0");
        await Ok("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.Contains("2.5.0", RingBundle);

        var audit = await _lab.Run("audit", "--stack", "lab", "--json");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("\"action\": \"rollback\"", audit.Out);
        Assert.Contains("\"action\": \"unhold\"", audit.Out);
        Assert.Contains("\"release\": \"pos-app=2.5.0,store-baseline=1.0.0\"", audit.Out); // the ring's commit trailer

        var store = await _lab.Run("audit", "--stack", "lab", "--store", "store-budapest");
        Assert.True(store.ExitCode == 0, store.ToString());
        Assert.Contains("store store-budapest (ring retail-region-1)", store.Out);
        Assert.Contains("rollback", store.Out);
        Assert.Contains("checkout errors", store.Out);
        Assert.Contains("edgeinfra up lab.retail-region-1", store.Out); // its ring's commits, with their trailers
    }

    [Fact]
    public async Task Audit_TamperedEntry_ReportedWithExit1()
    {
        await Ok("freeze", "--stack", "lab", "--reason", "Black Friday");
        await Ok("unfreeze", "--stack", "lab");
        var log = RolloutPaths.For(Path.Combine(_lab.Dir, ".edgeinfra"), "lab").Audit;
        var intact = await _lab.Run("audit", "--stack", "lab");
        Assert.True(intact.ExitCode == 0, intact.ToString());
        Assert.Contains("freeze", intact.Out);
        Assert.Contains("Black Friday", intact.Out);

        File.WriteAllText(log, File.ReadAllText(log).Replace("Black Friday", "Cyber Monday", StringComparison.Ordinal));
        var tampered = await _lab.Run("audit", "--stack", "lab");

        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("tampered", tampered.Error);
        Assert.Contains("entry 1", tampered.Error);
    }

    [Fact]
    public async Task Freeze_ShowsWhoAndWhy_UnfreezeLiftsIt()
    {
        var freeze = await _lab.Run("freeze", "--stack", "lab", "--reason", "peak season");
        Assert.True(freeze.ExitCode == 0, freeze.ToString());
        Assert.Contains("frozen by", freeze.Out);
        Assert.Contains("peak season", freeze.Out);

        var unfreeze = await _lab.Run("unfreeze", "--stack", "lab");
        Assert.Contains("no longer frozen", unfreeze.Out);
        Assert.Contains("not frozen", (await _lab.Run("unfreeze", "--stack", "lab")).Out);
    }

    [Theory]
    [InlineData("rollout", "--stack", "lab", "--hold-timeout", "soon")]
    [InlineData("rollout", "--stack", "lab", "--gate-interval", "0")]
    [InlineData("rollback", "--stack", "lab")]
    [InlineData("rollback", "--stack", "lab", "--all", "--to", "3")]
    [InlineData("rollback", "--stack", "lab", "--ring", "nope")]
    [InlineData("hold", "--stack", "lab", "pos-app", "--reason", "x")]
    [InlineData("unhold", "--stack", "lab", "pos-app=9.9.9")]
    [InlineData("audit", "--stack", "lab", "--since", "yesterday-ish")]
    [InlineData("freeze", "--stack", "nope", "--reason", "x")]
    public async Task Verb_BadInput_Exit2(params string[] args)
    {
        var run = await _lab.Run(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.False(Directory.Exists(_lab.FleetRepo));
    }

    [Fact]
    public async Task Rollout_BadRolloutConfig_EveryProblemListedWithExit2()
    {
        _lab.Edit(_lab.LabConfig, c => c.Replace("config:\n", """
            config:
              edge-infra:rollout:
                gateInterval: often
                holdTimeout: 0
                webhookKey: rolloutWebhook
                catchUp:
                  pos-app: whenever
                mirrorGate: sometimes
                colour: blue

            """, StringComparison.Ordinal));

        var run = await _lab.Run("rollout", "--stack", "lab");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("gateInterval: 'often' is not a duration", run.Error);
        Assert.Contains("'holdTimeout' must be above 0", run.Error);
        Assert.Contains("catch-up class 'whenever'", run.Error);
        Assert.Contains("mirrorGate 'sometimes' must be true or false", run.Error);
        Assert.Contains("unknown field 'colour'", run.Error);
        Assert.Contains("Pulumi.lab.yaml:", run.Error);
    }

    [Fact]
    public async Task EngineRingApplier_ApplyTwice_SecondMakesNoCommitAndReportsTheSameRevision()
    {
        var ws = FleetWorkspace.Load(_lab.Dir, "lab", TimeProvider.System);
        var applier = new EngineRingApplier(ws, new SourceInfo("walker@example.com", "none"), TimeProvider.System, "edgeinfra rollout");

        var first = await applier.ApplyAsync("retail-region-1", new HashSet<string>(), "rollout test", CancellationToken.None);
        var commits = FleetRepoInspector.CommitCount(_lab.FleetRepo);
        var second = await applier.ApplyAsync("retail-region-1", new HashSet<string>(), "rollout test", CancellationToken.None);
        var current = await applier.FindVersionAsync("retail-region-1", v => v.Succeeded, CancellationToken.None);

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(commits, FleetRepoInspector.CommitCount(_lab.FleetRepo));
        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(first.Version, second.Version);
        Assert.Equal("pos-app=2.4.1,store-baseline=1.0.0", current!.Releases.Key);
        var ringCommit = FleetRepoInspector.Commits(_lab.FleetRepo).Single(c => FleetRepoInspector.Trailer(c, "Edge-Stack") == "lab.retail-region-1");
        Assert.Equal("walker@example.com", FleetRepoInspector.Trailer(ringCommit, "Edge-Actor"));
    }
}
