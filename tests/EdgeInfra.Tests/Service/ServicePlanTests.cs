using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Service;

/// <summary>The pull-request flow end to end: a release previewed on a branch with <c>--save-plan</c>, the branch
/// merged on a real git server, and the service, asked to roll the plan out, fetches what was merged and walks it only
/// if it renders exactly what was reviewed.</summary>
/// <remarks>Both checkouts share one state directory (the project's <c>backend.url</c>), as a team's CI and its service
/// share one state backend: the plan's state versions are the service's.</remarks>
[Collection(GitDaemonCollection.Name)]
public sealed class ServicePlanTests(GitDaemonFixture daemon) : IDisposable
{
    private readonly TempDirectory _tmp = new("edgeinfra-plan-flow-");

    private string Service => _tmp.Combine("service");
    private string Dev => _tmp.Combine("dev");
    private string PlanFile => _tmp.Combine("plan.json");

    /// <summary>The lab's fleet repo: the default <c>.edgeinfra/fleet.git</c> of the checkout that pushes to it.</summary>
    private string FleetRepo => Path.Combine(Service, ".edgeinfra", "fleet.git");

    [Fact]
    public async Task Rollout_PlanReviewedOnABranchThenMerged_ServiceFetchesTheMergeAndRollsOutThePlan()
    {
        await ReviewReleaseOnBranchAsync();
        var merge = Merge();
        await using var service = await ServiceProcess.StartAsync(Service);
        using var http = service.Client();

        using var started = await StartFromPlanAsync(http);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var events = new List<JsonElement>();
        await foreach (var e in ServiceProcess.EventsAsync(http, id)) events.Add(e);

        Assert.StartsWith("completed", events[^1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(merge, GitCli.Run(Service, "rev-parse", "HEAD").Trim());
        var fleet = FleetRepoInspector.Files(FleetRepo);
        var posApp = fleet.Where(f => f.Key.StartsWith("apps/pos-app/", StringComparison.Ordinal) && f.Key.EndsWith("fleet.yaml", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(posApp);
        Assert.All(posApp, f => Assert.Contains("2.4.2", f.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollout_InventoryChangedOnMainAfterTheReview_RefusedWith409NamingTheFile()
    {
        await ReviewReleaseOnBranchAsync();
        Merge();
        var inventory = Path.Combine(Dev, "stacks", "lab", "stores.yaml");
        File.WriteAllText(inventory, File.ReadAllText(inventory).Replace("hardware-class: edge-medium", "hardware-class: edge-large"));
        GitCli.Run(Dev, "commit", "-qam", "stores: bigger devices");
        GitCli.Run(Dev, "push", "-q", "origin", "main");
        await using var service = await ServiceProcess.StartAsync(Service);
        using var http = service.Client();

        using var refused = await StartFromPlanAsync(http);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("stacks/lab/stores.yaml changed since the preview",
            problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.False(Directory.Exists(FleetRepo), "a refused plan rolled something out");
    }

    [Fact]
    public async Task Rollout_ReviewedBranchNotMerged_RefusedWith409()
    {
        await ReviewReleaseOnBranchAsync();
        await using var service = await ServiceProcess.StartAsync(Service);
        using var http = service.Client();

        using var refused = await StartFromPlanAsync(http);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is not merged into origin/main", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Publishes a small lab as the config repository, clones it for the service and for a developer, who
    /// raises pos-app to 2.4.2 on a branch, previews it with <c>--save-plan</c> and pushes the branch.</summary>
    private async Task ReviewReleaseOnBranchAsync()
    {
        using var lab = await SmallLab.CreateAsync(12);
        var remote = daemon.CreateRepo();
        var seed = _tmp.Combine("seed");
        foreach (var file in Directory.EnumerateFiles(lab.Dir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(lab.Dir, file);
            if (relative.StartsWith(".edgeinfra", StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(seed, relative))!);
            File.Copy(file, Path.Combine(seed, relative));
        }
        var project = Path.Combine(seed, "Pulumi.yaml");
        File.WriteAllText(project, File.ReadAllText(project).Replace("url: file://.edgeinfra", $"url: file://{_tmp.Combine("state")}"));
        File.WriteAllText(Path.Combine(seed, ".gitignore"), ".edgeinfra/\n");
        GitCli.Run(seed, "init", "-q", "--initial-branch=main");
        GitCli.Run(seed, "add", "-A");
        GitCli.Run(seed, "commit", "-qm", "fleet");
        GitCli.Run(seed, "push", "-q", remote.Url, "main");
        GitCli.Run(null, "clone", "-q", remote.Url, Service);
        GitCli.Run(null, "clone", "-q", remote.Url, Dev);

        GitCli.Run(Dev, "checkout", "-qb", "release-2.4.2");
        var config = Path.Combine(Dev, "Pulumi.lab.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("version: 2.4.1", "version: 2.4.2"));
        GitCli.Run(Dev, "commit", "-qam", "pos-app 2.4.2");
        var preview = await CliRunner.RunAsync(["preview", "--stack", "lab", "--save-plan", PlanFile, "--cwd", Dev]);
        Assert.True(preview.ExitCode == 0, preview.ToString());
        GitCli.Run(Dev, "push", "-q", "origin", "release-2.4.2");
    }

    /// <summary>Merges the branch into main with a merge commit (so main's head is not the reviewed commit) and pushes.</summary>
    private string Merge()
    {
        GitCli.Run(Dev, "checkout", "-q", "main");
        GitCli.Run(Dev, "merge", "-q", "--no-ff", "-m", "Merge release-2.4.2", "release-2.4.2");
        GitCli.Run(Dev, "push", "-q", "origin", "main");
        return GitCli.Run(Dev, "rev-parse", "HEAD").Trim();
    }

    private Task<HttpResponseMessage> StartFromPlanAsync(HttpClient http) =>
        http.PostAsJsonAsync("api/v1/rollouts", new JsonObject { ["plan"] = JsonNode.Parse(File.ReadAllText(PlanFile)) });

    public void Dispose() => _tmp.Dispose();
}
