using System.Diagnostics;
using System.Text.Json;

namespace EdgeInfra.Tests.Cli;

/// <summary>kill -9 of a real <c>edgeinfra up</c> process at random points, then another <c>up</c>: it converges.</summary>
public sealed class CrashRecoveryTests
{
    private static readonly string[] UpAll = ["up", "--stack", "lab", "--all-rings", "--yes"];

    [Fact]
    public async Task Up_KilledAtRandomPoints_NextUpConvergesWithNoLostOrDuplicatedResource()
    {
        using var reference = new LabProject();
        var clock = Stopwatch.StartNew();
        var clean = await CliRunner.RunProcessAsync([.. UpAll, "--cwd", reference.Dir], TimeSpan.FromMinutes(3));
        var fullRun = clock.Elapsed;
        Assert.True(clean.ExitCode == 0, clean.ToString());

        using var lab = new LabProject();
        const int seed = 20261201;
        var random = new Random(seed);
        var kills = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var at = TimeSpan.FromMilliseconds(random.Next(50, (int)Math.Max(100, fullRun.TotalMilliseconds)));
            kills.Add(at);
            using var p = CliRunner.Start([.. UpAll, "--cwd", lab.Dir]);
            p.StandardInput.Close();
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(at)) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        var context = $"seed {seed}, kills at {string.Join(", ", kills.Select(k => $"{k.TotalMilliseconds:F0} ms"))}\n" +
                      $"state left by the kills:\n{StateListing(lab.Dir)}";

        var finish = await CliRunner.RunProcessAsync([.. UpAll, "--cwd", lab.Dir], TimeSpan.FromMinutes(3));
        Assert.True(finish.ExitCode == 0, $"{context}\n{finish}");

        var noChanges = await lab.Run("preview", "--stack", "lab", "--expect-no-changes");
        Assert.True(noChanges.ExitCode == 0, $"{context}\n{noChanges}");
        Assert.Equal(FleetRepoInspector.Files(reference.FleetRepo), FleetRepoInspector.Files(lab.FleetRepo));
        foreach (var ring in new[] { "retail-region-1", "retail-region-2", "all" })
        {
            var urns = await Urns(lab, ring);
            Assert.Equal(urns.Count, urns.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(await Urns(reference, ring), urns);
        }
    }

    /// <summary>What the killed runs left under .edgeinfra (locks, journals, caches), for the failure message.</summary>
    private static string StateListing(string dir)
    {
        var root = Path.Combine(dir, ".edgeinfra");
        if (!Directory.Exists(root)) return "  (nothing)";
        return string.Join("\n", Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/objects/", StringComparison.Ordinal))
            .Select(f => $"  {Path.GetRelativePath(root, f)} ({new FileInfo(f).Length} bytes)"));
    }

    private static async Task<List<string>> Urns(LabProject lab, string ring)
    {
        var run = await lab.Run("stack", "export", "--stack", "lab", "--ring", ring);
        Assert.True(run.ExitCode == 0, run.ToString());
        var deployment = JsonDocument.Parse(run.Out).RootElement.GetProperty("deployment");
        if (deployment.TryGetProperty("pending_operations", out var pending)) Assert.Equal(0, pending.GetArrayLength());
        return [.. deployment.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("urn").GetString()!).Order(StringComparer.Ordinal)];
    }
}
