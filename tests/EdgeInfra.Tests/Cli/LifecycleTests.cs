using System.Text.Json;
using EdgeInfra.Engine.State;
using LibGit2Sharp;

namespace EdgeInfra.Tests.Cli;

public sealed class LifecycleTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Up_RingStackLockedByAnother_RefusedNamingTheHolder()
    {
        var backend = new FileStateBackend(Path.Combine(_lab.Dir, ".edgeinfra"), "edge-infra", TimeProvider.System, null);
        await using (await backend.LockAsync("lab.retail-region-1", new LockHolder("alice@ops-laptop", "ops-laptop", 4242, "up")))
        {
            var run = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("alice@ops-laptop", run.Error);
            Assert.Contains("4242", run.Error);
        }
        var after = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    public async Task Refresh_FleetRepoEditedByHand_ReportsDriftAndNextUpCorrectsIt()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes")).ExitCode);
        const string path = "hub/clusters/store-budapest.yaml";
        var original = FleetRepoInspector.Files(_lab.FleetRepo)[path];
        HandEdit(_lab.FleetRepo, path, original.Replace("network-tier: satellite", "network-tier: fiber"));

        var refresh = await _lab.Run("refresh", "--stack", "lab", "--ring", "retail-region-1", "--json");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        var drift = JsonDocument.Parse(refresh.Out).RootElement.GetProperty("stacks").EnumerateArray()
            .SelectMany(s => s.GetProperty("drift").EnumerateArray()).ToList();
        Assert.Contains(drift, d => d.GetProperty("urn").GetString()!.EndsWith("::store-budapest", StringComparison.Ordinal)
                                    && d.GetProperty("urn").GetString()!.Contains("Cluster", StringComparison.Ordinal));

        var up = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(original, FleetRepoInspector.Files(_lab.FleetRepo)[path]);
    }

    [Fact]
    public async Task History_AfterTwoUpdates_ListsBothVersionsWithActorAndResult()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes", "-m", "first")).ExitCode);
        _lab.Edit(_lab.LabConfig, text => text.Replace("logLevel: debug", "logLevel: trace"));
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes")).ExitCode);

        var run = await _lab.Run("history", "--stack", "lab", "--ring", "retail-region-1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var ring = JsonDocument.Parse(run.Out).RootElement.EnumerateArray().Single(s => s.GetProperty("stack").GetString() == "lab.retail-region-1");
        var versions = ring.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([2, 1], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.All(versions, v => Assert.Equal("succeeded", v.GetProperty("result").GetString()));
        Assert.Contains("first", versions[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task StackExport_AfterUp_IsPulumiDeploymentV3()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes")).ExitCode);

        var run = await _lab.Run("stack", "export", "--stack", "lab", "--ring", "retail-region-1");

        Assert.True(run.ExitCode == 0, run.ToString());
        var doc = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(3, doc.GetProperty("version").GetInt32());
        var resources = doc.GetProperty("deployment").GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal("pulumi:pulumi:Stack", resources[0].GetProperty("type").GetString());
        Assert.Contains(resources, r => r.GetProperty("urn").GetString() == "urn:pulumi:lab.retail-region-1::edge-infra::edge:fleet:Store::store-budapest");
    }

    [Fact]
    public async Task Destroy_Ring_RemovesItsFilesAndLeavesOtherRings()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes")).ExitCode);

        var run = await _lab.Run("destroy", "--stack", "lab", "--ring", "retail-region-1", "--yes");

        Assert.True(run.ExitCode == 0, run.ToString());
        var files = FleetRepoInspector.Files(_lab.FleetRepo);
        Assert.DoesNotContain("hub/clusters/store-budapest.yaml", files.Keys);
        Assert.DoesNotContain("apps/pos-app/retail-region-1/fleet.yaml", files.Keys);
        Assert.Contains("hub/clusters/store-lisbon.yaml", files.Keys);
        Assert.Contains("hub/fleet.yaml", files.Keys);
    }

    [Fact]
    public async Task ConfigSet_Secret_StoredEncryptedAndReadBackWithPassphrase()
    {
        var env = new Dictionary<string, string> { ["EDGEINFRA_CONFIG_PASSPHRASE"] = "correct horse battery staple" };
        var set = await CliRunner.RunProcessAsync(["config", "set", "--stack", "lab", "--secret", "mirrorEuCentralAuth", "edge-pull:s3cr3t-value", "--cwd", _lab.Dir],
            TimeSpan.FromMinutes(1), env);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.DoesNotContain("s3cr3t-value", File.ReadAllText(_lab.LabConfig));
        Assert.Contains("secure: v1:", File.ReadAllText(_lab.LabConfig));

        var get = await CliRunner.RunProcessAsync(["config", "get", "--stack", "lab", "mirrorEuCentralAuth", "--show-secrets", "--cwd", _lab.Dir], TimeSpan.FromMinutes(1), env);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("s3cr3t-value", get.Out);

        var masked = await _lab.Run("config", "get", "--stack", "lab", "mirrorEuCentralAuth");
        Assert.DoesNotContain("s3cr3t-value", masked.Out + masked.Error);
    }

    [Fact]
    public async Task ConfigSet_TypoedKey_Exits2AndLeavesTheFileAlone()
    {
        var before = File.ReadAllText(_lab.LabConfig);

        var run = await _lab.Run("config", "set", "--stack", "lab", "--path", "fleeet.pollingInterval", "30s");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("fleeet", run.Error);
        Assert.Equal(before, File.ReadAllText(_lab.LabConfig));
    }

    private static void HandEdit(string bareRepo, string path, string content)
    {
        var work = Directory.CreateTempSubdirectory("edgeinfra-hand-").FullName;
        try
        {
            Repository.Clone(bareRepo, work);
            using var repo = new Repository(work);
            File.WriteAllText(Path.Combine(work, path), content);
            Commands.Stage(repo, path);
            var who = new Signature("someone", "someone@example.com", DateTimeOffset.UtcNow);
            repo.Commit("hand edit", who, who);
            repo.Network.Push(repo.Network.Remotes["origin"], "refs/heads/main:refs/heads/main");
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
