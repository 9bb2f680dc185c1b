using System.Diagnostics;
using System.Text.RegularExpressions;
using CsCheck;
using Xunit.Abstractions;

namespace EdgeInfra.Tests.Cli.BadInput;

/// <summary>
/// The bar of issue 9, in the suite: 1,000 damaged inventories, stack configs and overrides through the in-process
/// <c>preview</c> and <c>up --all-rings</c>. Every case is refused with exit 2 naming a project file (with its line when
/// the damage has one), or it is a valid run; never exit 1 or an unhandled exception, never a change under
/// <c>.edgeinfra/</c> from a refused run, never a hostile value in a fleet-repo path or a command run.
/// </summary>
/// <remarks>Seeds differ on every run; a failure prints the seed, and <c>EDGEINFRA_FUZZ_SEED</c> replays it. The
/// suite's time is in docs/benchmarks.md.</remarks>
public sealed partial class BadInputPropertyTests(ITestOutputHelper output)
{
    private const int Cases = 1_000;
    private const string PwnedMarker = "/tmp/edgeinfra-pwned";

    private static readonly string[] ProjectFiles = [SmallLab.InventoryName, SmallLab.StackFileName, SmallLab.ProjectFileName];

    [Fact]
    public async Task PreviewAndUp_DamagedInputs_RefusedNamingTheFileOrRunValidly()
    {
        using var lab = new SmallLab(stores: 6);
        var first = await lab.UpAll();
        Assert.True(first.ExitCode == 0, first.ToString());
        var pristine = Directory.CreateTempSubdirectory("edgeinfra-fuzz-state-").FullName;
        try
        {
            CopyDir(lab.Path(".edgeinfra"), pristine);
            var baseline = lab.StateStamps();
            var originals = ProjectFiles.ToDictionary(f => f, lab.Read);

            var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var timings = new Dictionary<string, TimeSpan> { ["restore and damage"] = default, ["preview"] = default, ["up"] = default };
            var gen = Gen.Select(Gen.Int[0, 13], Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Int[0, 9]);
            gen.Sample((kind, target, seed, verb) =>
            {
                var restoring = Stopwatch.StartNew();
                baseline = Restore(lab, originals, pristine, baseline);
                var damage = Damage(originals, kind, target, new Random(seed));
                lab.Write(damage.File, damage.Text);
                timings["restore and damage"] += restoring.Elapsed;
                var running = Stopwatch.StartNew();
                var code = Check(lab, damage, up: verb == 0, baseline);
                timings[verb == 0 ? "up" : "preview"] += running.Elapsed;
                var key = $"{damage.Kind.Split(" of depth")[0]}: exit {code}";
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }, iter: Cases, threads: 1, seed: Environment.GetEnvironmentVariable("EDGEINFRA_FUZZ_SEED"),
               print: t => Damage(originals, t.Item1, t.Item2, new Random(t.Item3)) + (t.Item4 == 0 ? " (up)" : " (preview)"));
            foreach (var (outcome, count) in outcomes) output.WriteLine($"{count,5}  {outcome}");
            foreach (var (phase, spent) in timings) output.WriteLine($"{spent.TotalSeconds,6:F1} s  {phase}");
        }
        finally
        {
            Directory.Delete(pristine, recursive: true);
        }
    }

    /// <summary>Target 0: the inventory; 1: the stack config; 2: only its overrides block.</summary>
    private static DamagedInput Damage(Dictionary<string, string> originals, int kind, int target, Random random)
    {
        if (target == 0) return InputDamage.Apply(kind, SmallLab.InventoryName, originals[SmallLab.InventoryName], random);
        var stack = originals[SmallLab.StackFileName];
        if (target == 1) return InputDamage.Apply(kind, SmallLab.StackFileName, stack, random);
        var from = stack.IndexOf("  edge-infra:overrides:", StringComparison.Ordinal);
        var to = stack.IndexOf("  # The Fleet simulator", StringComparison.Ordinal);
        var damaged = InputDamage.Apply(kind, SmallLab.StackFileName, stack[from..to], random);
        return damaged with { Kind = damaged.Kind + " (overrides)", Text = stack[..from] + damaged.Text + stack[to..] };
    }

    private static int Check(SmallLab lab, DamagedInput damage, bool up, SortedDictionary<string, string> baseline)
    {
        var clock = Stopwatch.StartNew();
        var run = (up ? lab.UpAll() : lab.Preview()).GetAwaiter().GetResult();
        var context = $"{damage}\n{run}";

        // A hang detector, not a budget: the suite shares two cores with every other test. The 10 s bar per input is
        // bench/badinput-fuzz.py's, measured with real processes (docs/benchmarks.md).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}: {context}");
        Assert.True(run.ExitCode is 0 or 2, context);
        Assert.True(run.ExitCode == 2 || !damage.MustRefuse, $"accepted an input that cannot be valid: {context}");
        Assert.False(run.Error.Contains("Exception", StringComparison.Ordinal) || run.Error.Contains("   at ", StringComparison.Ordinal), context);
        Assert.False(File.Exists(PwnedMarker), context);
        if (run.ExitCode == 2)
        {
            Assert.True(run.Error.Contains(damage.File, StringComparison.Ordinal) || NamesProjectFileAndLine().IsMatch(run.Error)
                || run.Error.Contains("--allow-mass-delete", StringComparison.Ordinal), $"names no file: {context}");
            Assert.DoesNotContain(lab.Dir, run.Error);
            Assert.True(lab.StateStamps().SequenceEqual(baseline), $"a refused run changed .edgeinfra/: {context}");
        }
        else if (up)
        {
            foreach (var path in lab.FleetRepoFiles().Keys)
                Assert.True(SafeRepoPath().IsMatch(path), $"fleet repo path '{path}': {context}");
        }
        return run.ExitCode;
    }

    /// <summary>Puts the inputs and <c>.edgeinfra/</c> back as they were before the first case; returns the stamps to
    /// compare the next case with (a copy has new modification times).</summary>
    private static SortedDictionary<string, string> Restore(SmallLab lab, Dictionary<string, string> originals, string pristine,
        SortedDictionary<string, string> baseline)
    {
        foreach (var (file, text) in originals) lab.Write(file, text);
        var now = lab.StateStamps();
        if (now.SequenceEqual(baseline)) return baseline;
        // A valid run (a damage that is still a correct input) may write: the files it wrote go back to the baseline.
        foreach (var (file, stamp) in now.Where(f => baseline.GetValueOrDefault(f.Key) != f.Value))
        {
            var source = Path.Combine(pristine, file);
            if (File.Exists(source)) File.Copy(source, lab.Path(Path.Combine(".edgeinfra", file)), overwrite: true);
            else File.Delete(lab.Path(Path.Combine(".edgeinfra", file)));
        }
        foreach (var file in baseline.Keys.Where(f => !now.ContainsKey(f)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lab.Path(Path.Combine(".edgeinfra", file)))!);
            File.Copy(Path.Combine(pristine, file), lab.Path(Path.Combine(".edgeinfra", file)));
        }
        return lab.StateStamps();
    }

    private static void CopyDir(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    [GeneratedRegex(@"(Pulumi\.yaml|Pulumi\.lab\.yaml|stacks/lab/stores\.yaml)(:\d+)?:")]
    private static partial Regex NamesProjectFileAndLine();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*\z")]
    private static partial Regex SafeRepoPath();
}
