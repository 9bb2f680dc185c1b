using System.Text.Json;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Cli.Plans;

/// <summary><c>preview --save-plan</c> then <c>up --plan</c> / <c>rollout --plan</c>: exactly the reviewed change is
/// applied, and a plan whose inputs or state moved since the preview is refused, saying what moved.</summary>
public sealed class SavedPlanCliTests : IDisposable
{
    private readonly TempDirectory _tmp = new("edgeinfra-plan-");

    private string PlanFile => Path.Combine(_tmp.Path, "plan.json");

    [Fact]
    public async Task UpPlan_NothingMovedSinceThePreview_AppliesThePlannedRing()
    {
        using var lab = await SmallLab.CreateAsync(12);
        await lab.OkAsync("preview", "--stack", "lab", "--ring", "retail-region-1", "--save-plan", PlanFile);

        var up = await lab.Project.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--plan", PlanFile, "--yes");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains(lab.FleetTree().Keys, k => k.StartsWith("apps/pos-app/retail-region-1/", StringComparison.Ordinal));
        var plan = JsonDocument.Parse(File.ReadAllText(PlanFile)).RootElement;
        Assert.Equal("edgeinfra-plan/1", plan.GetProperty("format").GetString());
        Assert.Equal(["lab", "lab.retail-region-1"], plan.GetProperty("stacks").EnumerateArray().Select(s => s.GetProperty("stack").GetString()));
    }

    [Theory]
    [InlineData("inventory")]
    [InlineData("config")]
    public async Task UpPlan_AnInputChangedSinceThePreview_RefusedNamingTheFile(string changed)
    {
        using var lab = await SmallLab.CreateAsync(12);
        await lab.OkAsync("preview", "--stack", "lab", "--save-plan", PlanFile);
        var (file, name) = changed == "inventory"
            ? (lab.Project.LabInventory, "stacks/lab/stores.yaml")
            : (lab.Project.LabConfig, "Pulumi.lab.yaml");
        lab.Project.Edit(file, s => s.Replace("version: 2.4.1", "version: 2.4.2").Replace("hardware-class: edge-medium", "hardware-class: edge-large"));

        var up = await lab.Project.Run("up", "--stack", "lab", "--all-rings", "--plan", PlanFile, "--yes");

        Assert.True(up.ExitCode == 1, up.ToString());
        Assert.Contains($"{name} changed since the preview", up.Error);
        Assert.False(Directory.Exists(lab.Project.FleetRepo), "a refused plan wrote the fleet repo");
    }

    [Fact]
    public async Task RolloutPlan_AStackWasUpdatedSinceThePreview_RefusedNamingItsStateVersion()
    {
        using var lab = await SmallLab.CreateAsync(12);
        await lab.OkAsync("preview", "--stack", "lab", "--save-plan", PlanFile);
        await lab.OkAsync("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");

        var rollout = await CliRunner.RunProcessAsync(lab.RolloutArgs("--plan", PlanFile), TimeSpan.FromMinutes(2));

        Assert.True(rollout.ExitCode == 1, rollout.ToString());
        Assert.Contains("the state of lab.retail-region-1 moved from history version 0 to 1", rollout.Error);
    }

    [Fact]
    public async Task RolloutPlan_NothingMoved_WalksEveryRingToTheReviewedRelease()
    {
        using var lab = await SmallLab.CreateAsync(12);
        await lab.OkAsync("preview", "--stack", "lab", "--save-plan", PlanFile);

        var rollout = await CliRunner.RunProcessAsync(lab.RolloutArgs("--plan", PlanFile), TimeSpan.FromMinutes(2));

        Assert.True(rollout.ExitCode == 0, rollout.ToString());
        var releases = JsonDocument.Parse(File.ReadAllText(PlanFile)).RootElement.GetProperty("stacks")
            .EnumerateArray().SelectMany(s => s.GetProperty("releases").EnumerateArray().Select(r => r.GetString())).Distinct();
        Assert.Contains("pos-app=2.4.1", releases);
        Assert.Contains(lab.FleetTree().Keys, k => k.StartsWith("apps/pos-app/all/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{", "not a saved plan")]
    [InlineData("""{"format": "edgeinfra-plan/0", "project": "edge-infra", "stack": "lab", "inputs": [], "stacks": [{}]}""", "is not edgeinfra-plan/1")]
    public async Task UpPlan_NotAPlanFile_RefusedAsBadInput(string content, string message)
    {
        using var lab = await SmallLab.CreateAsync(6);
        File.WriteAllText(PlanFile, content);

        var up = await lab.Project.Run("up", "--stack", "lab", "--all-rings", "--plan", PlanFile, "--yes");

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains(message, up.Error);
    }

    [Fact]
    public async Task UpPlan_PlanOfOneRingAppliedToEvery_RefusedAsUsage()
    {
        using var lab = await SmallLab.CreateAsync(6);
        await lab.OkAsync("preview", "--stack", "lab", "--ring", "retail-region-1", "--save-plan", PlanFile);

        var up = await lab.Project.Run("up", "--stack", "lab", "--all-rings", "--plan", PlanFile, "--yes");

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains("the plan covers ring retail-region-1, this run every ring", up.Error);
    }

    public void Dispose() => _tmp.Dispose();
}
