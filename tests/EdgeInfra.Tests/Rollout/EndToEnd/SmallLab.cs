using System.Text.Json;
using EdgeInfra.Tests.Cli;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>A throw-away lab project with a small generated inventory (so a whole lab rollout takes seconds) and the
/// rollout host run as the real <c>edgeinfra</c> apphost.</summary>
internal sealed class SmallLab : IDisposable
{
    private SmallLab(LabProject project) => Project = project;

    public LabProject Project { get; }

    public string Dir => Project.Dir;

    /// <summary>Generates <paramref name="stores"/> stores, assigns their rings and drops the shipped site override of a
    /// store the generated inventory does not have.</summary>
    public static async Task<SmallLab> CreateAsync(int stores, int seed = 3)
    {
        var lab = new SmallLab(new LabProject());
        lab.Project.Edit(lab.Project.LabConfig, c =>
        {
            var from = c.IndexOf("    - name: pos-budapest-debug", StringComparison.Ordinal);
            var to = c.IndexOf("  # The Fleet simulator", StringComparison.Ordinal);
            return c[..from] + c[to..];
        });
        await lab.OkAsync("inventory", "generate", "--stack", "lab", "--stores", $"{stores}", "--seed", $"{seed}");
        await lab.OkAsync("rings", "assign", "--stack", "lab");
        return lab;
    }

    public async Task OkAsync(params string[] args)
    {
        var run = await Project.Run(args);
        Assert.True(run.ExitCode == 0, $"{string.Join(" ", args)}: {run}");
    }

    public string[] RolloutArgs(params string[] extra) => ["rollout", "--stack", "lab", .. extra, "--cwd", Dir];

    /// <summary>One uninterrupted <c>edgeinfra rollout</c> process.</summary>
    public Task<CliRun> RolloutAsync(params string[] extra) => CliRunner.RunProcessAsync(RolloutArgs(extra), TimeSpan.FromMinutes(2));

    /// <summary>The audit log's entries (<c>audit --json</c>), after checking the hash chain is intact.</summary>
    public async Task<List<JsonElement>> AuditAsync()
    {
        var run = await Project.Run("audit", "--stack", "lab", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var root = JsonDocument.Parse(run.Out).RootElement;
        Assert.True(root.GetProperty("intact").GetBoolean(), run.Out);
        return [.. root.GetProperty("entries").EnumerateArray()];
    }

    public static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public IReadOnlyDictionary<string, string> FleetTree() => FleetRepoInspector.Files(Project.FleetRepo);

    /// <summary>Adds the lab scenario <c>catch-up</c>: 30 % of the stores drop off 16 h into a rollout and stay away
    /// <paramref name="offlineHours"/> hours; a store is offline after 5 minutes without a check-in (the lab's agents
    /// check in every minute); <paramref name="posAppClass"/>, when given, is pos-app's catch-up class.</summary>
    public void UseCatchUpScenario(int offlineHours, string? posAppClass = null) =>
        Project.Edit(Project.LabConfig, c => c
            .Replace("  edge-infra:lab:\n", "  edge-infra:rollout:\n    offlineAfter: 5m\n" +
                (posAppClass is null ? "" : $"    catchUp:\n      pos-app: {posAppClass}\n") + "  edge-infra:lab:\n")
            .Replace("      offline-30:", $"      catch-up:\n        offline:\n          - share: 0.3\n            start: 16h\n            duration: {offlineHours}h\n      offline-30:"));

    public void Dispose() => Project.Dispose();
}
