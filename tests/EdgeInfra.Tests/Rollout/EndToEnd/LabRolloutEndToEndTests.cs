using System.Diagnostics;
using System.Text.Json;
using EdgeInfra.Tests.Cli;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>Whole lab rollouts of the real <c>edgeinfra</c> process over a small inventory on the lab's virtual clock:
/// an offline share of the fleet, and kill -9 of the rollout host at random points.</summary>
public sealed class LabRolloutEndToEndTests(ITestOutputHelper output)
{
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];

    /// <summary>About how long the apphost takes to load the stack and reach the walker.</summary>
    private const int StartUpMs = 300;

    [Fact]
    public async Task Rollout_ThirtyPercentOffline_CompletesAndReportsThemOfflineNeverFailed()
    {
        using var lab = await SmallLab.CreateAsync(30);
        var clock = Stopwatch.StartNew();

        var run = await lab.RolloutAsync("--scenario", "offline-30");
        output.WriteLine($"rollout with offline-30: {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("offline (they catch up when they return)", run.Out);
        var audit = await lab.AuditAsync();
        var observed = audit.Where(e => SmallLab.Str(e, "action") == "observe").Select(e => SmallLab.Str(e, "reason") ?? "").ToList();
        Assert.Contains(observed, r => r.EndsWith("now offline", StringComparison.Ordinal));
        Assert.DoesNotContain(observed, r => r.EndsWith("now failed", StringComparison.Ordinal));
        Assert.Equal(Rings, audit.Where(e => SmallLab.Str(e, "action") == "promote").Select(e => SmallLab.Str(e, "ring")));
        var status = await lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var states = JsonDocument.Parse(status.Out).RootElement.GetProperty("rings").EnumerateArray()
            .SelectMany(r => r.GetProperty("states").EnumerateObject().Select(s => s.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("failed", states);
    }

    [Fact]
    public async Task Rollout_KilledAtTwentyRandomPoints_EveryRerunResumesToTheUninterruptedFinalState()
    {
        using var reference = await SmallLab.CreateAsync(24);
        var clock = Stopwatch.StartNew();
        var clean = await reference.RolloutAsync();
        var fullRun = clock.Elapsed;
        output.WriteLine($"uninterrupted rollout: {fullRun.TotalSeconds:F1} s");
        Assert.True(clean.ExitCode == 0, clean.ToString());

        using var lab = await SmallLab.CreateAsync(24);
        const int seed = 20261201;
        var random = new Random(seed);
        // 20 points spread over the uninterrupted run; each rerun resumes where the last was killed, so it is killed
        // after its start-up plus the gap to the next point: together the killed runs cover the whole rollout.
        var points = Enumerable.Range(0, 20).Select(_ => random.Next(100, (int)Math.Max(200, fullRun.TotalMilliseconds))).Order().ToList();
        var kills = points.Select((p, i) => TimeSpan.FromMilliseconds(StartUpMs + p - (i == 0 ? 0 : points[i - 1]))).ToList();
        var finishedEarly = 0;
        foreach (var at in kills)
        {
            using var p = CliRunner.Start(lab.RolloutArgs());
            p.StandardInput.Close();
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(at)) p.Kill(entireProcessTree: true);
            else finishedEarly++;
            await p.WaitForExitAsync();
        }
        var context = $"seed {seed}, kills at {string.Join(", ", kills.Select(k => $"{k.TotalMilliseconds:F0} ms"))}, {finishedEarly} run(s) ended before their kill";

        var finish = await lab.RolloutAsync();
        output.WriteLine($"{context}; total {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(finish.ExitCode == 0, $"{context}\n{finish}");
        Assert.True(finishedEarly <= 5, $"{context}: too few runs were killed mid-rollout to test resumption");

        Assert.Equal(reference.FleetTree(), lab.FleetTree());
        var audit = await lab.AuditAsync();
        var expected = await reference.AuditAsync();
        foreach (var action in new[] { "start", "apply", "promote", "complete" })
            Assert.True(Decisions(expected, action).SequenceEqual(Decisions(audit, action)),
                $"{context}\n{action}: expected [{string.Join(", ", Decisions(expected, action))}], got [{string.Join(", ", Decisions(audit, action))}]");
        Assert.Equal(Rings, Decisions(audit, "promote"));
        Assert.DoesNotContain(audit, e => SmallLab.Str(e, "action") is "rollback" or "hold-timeout");
    }

    /// <summary>The rings an action was recorded for, in log order (each promotion exactly once).</summary>
    private static List<string> Decisions(IEnumerable<JsonElement> audit, string action) =>
        [.. audit.Where(e => SmallLab.Str(e, "action") == action).Select(e => SmallLab.Str(e, "ring") ?? "(stack)")];
}
