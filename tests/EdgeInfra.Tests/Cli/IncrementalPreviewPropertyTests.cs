using System.Diagnostics;
using System.Text.Json;
using CsCheck;
using EdgeInfra.Automation.Plans;
using EdgeInfra.Tests.Cli.BadInput;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Cli;

/// <summary>
/// Issue 12 §1's bar for incremental rendering: random edits of the lab (a store's labels, zone or ring, a store added or
/// removed, a zone's mirror, a ring setting, the polling interval, an override, the release, the stores paused for
/// catch-up), each followed by a <c>preview</c> that reuses what earlier runs rendered and by one from scratch (its render
/// and schema caches removed). Both must agree byte for byte: exit code, the JSON preview with every diff, the warnings,
/// and the SHA-256 of every rendered stack (the saved plan's digests). Now and then the edit is applied with <c>up</c>, so
/// later previews plan against moved state.
/// </summary>
/// <remarks>Seeds differ on every run; a failure prints the seed, and <c>EDGEINFRA_FUZZ_SEED</c> replays it. The
/// incremental runs form one chain: the from-scratch run's caches are set aside and the chain's put back.</remarks>
public sealed class IncrementalPreviewPropertyTests(ITestOutputHelper output)
{
    private const int Edits = 500;

    [Fact]
    public async Task Preview_RandomEdits_IncrementalEqualsFromScratch()
    {
        using var lab = new SmallLab(stores: 6);
        var first = await lab.UpAll();
        Assert.True(first.ExitCode == 0, first.ToString());
        var edits = new LabEdits(lab);
        var cache = lab.Path(".edgeinfra/cache");
        var aside = Directory.CreateTempSubdirectory("edgeinfra-incremental-").FullName;
        var (reused, ups) = (0, 0);
        var refusals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        try
        {
            var gen = Gen.Select(Gen.Int[0, LabEdits.Kinds - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, 39]);
            gen.Sample((kind, seed, upRoll) =>
            {
                var edit = edits.Apply(kind, new Random(seed));
                if (File.Exists(Path.Combine(cache, "render", SmallLab.Stack))) reused++;
                var incremental = Preview(lab, aside, "incremental");

                MoveCaches(cache, Path.Combine(aside, "chain"));
                var scratch = Preview(lab, aside, "scratch");
                DeleteCaches(cache);
                MoveCaches(Path.Combine(aside, "chain"), cache);

                Assert.True(incremental.ExitCode == scratch.ExitCode, $"{edit}: exit {incremental.ExitCode} incremental, {scratch.ExitCode} from scratch\n{incremental.Run}\n{scratch.Run}");
                Assert.True(incremental.Run.Out == scratch.Run.Out, $"{edit}: the JSON previews differ\n{incremental.Run.Out}\n---\n{scratch.Run.Out}");
                Assert.True(incremental.Run.Error == scratch.Run.Error, $"{edit}: the warnings differ\n{incremental.Run.Error}\n---\n{scratch.Run.Error}");
                Assert.True(incremental.Stacks == scratch.Stacks, $"{edit}: the rendered stacks differ\n{incremental.Stacks}\n---\n{scratch.Stacks}");
                if (incremental.ExitCode != 0)
                {
                    var why = incremental.Run.Error.Split('\n').FirstOrDefault(l => l.StartsWith("  - ", StringComparison.Ordinal)) ?? incremental.Run.Error;
                    why = why.Length > 90 ? why[..90] : why;
                    refusals[why] = refusals.GetValueOrDefault(why) + 1;
                }
                else if (upRoll == 0)
                {
                    var up = lab.UpAll("--allow-mass-delete").GetAwaiter().GetResult();
                    Assert.True(up.ExitCode == 0, $"{edit}: up failed\n{up}");
                    ups++;
                }
            }, iter: Edits, threads: 1, seed: Environment.GetEnvironmentVariable("EDGEINFRA_FUZZ_SEED"),
               print: t => $"edit kind {t.Item1}, seed {t.Item2}, up {t.Item3 == 0}");
        }
        finally
        {
            Directory.Delete(aside, recursive: true);
        }
        output.WriteLine($"{Edits} edits in {clock.Elapsed.TotalSeconds:F1} s: {reused} previews with a render cache to reuse, {ups} ups");
        foreach (var (why, count) in refusals) output.WriteLine($"{count,5} refused: {why}");
        // Most edits leave most stores alone: a chain that never had a cache to reuse would prove nothing.
        Assert.True(reused > Edits * 3 / 4, $"only {reused} of {Edits} previews had a render cache");
    }

    private sealed record Outcome(int ExitCode, CliRun Run, string Stacks);

    private static Outcome Preview(SmallLab lab, string dir, string name)
    {
        var plan = Path.Combine(dir, name + ".plan.json");
        File.Delete(plan);
        var run = lab.Run("preview", "--stack", SmallLab.Stack, "--json", "--diff", "--save-plan", plan).GetAwaiter().GetResult();
        var stacks = File.Exists(plan) ? JsonSerializer.Serialize(SavedPlan.Load(plan).Stacks) : "";
        // The plan file's own path is named in the message that it was saved.
        return new Outcome(run.ExitCode, run with { Error = run.Error.Replace(plan, "PLAN", StringComparison.Ordinal) }, stacks);
    }

    private static readonly string[] CacheDirs = ["render", "fleet-schema"];

    private static void MoveCaches(string from, string to)
    {
        foreach (var d in CacheDirs)
        {
            var source = Path.Combine(from, d);
            var target = Path.Combine(to, d);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            if (!Directory.Exists(source)) continue;
            Directory.CreateDirectory(to);
            Directory.Move(source, target);
        }
    }

    private static void DeleteCaches(string cache)
    {
        foreach (var d in CacheDirs)
            if (Directory.Exists(Path.Combine(cache, d))) Directory.Delete(Path.Combine(cache, d), recursive: true);
    }
}
