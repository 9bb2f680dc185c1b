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

    public void Dispose() => Project.Dispose();
}
