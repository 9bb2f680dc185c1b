using System.CommandLine;
using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra rehearse</c>: predicts a release's rollout of a stack on the lab simulator (virtual time,
/// throw-away state and fleet repo): per-ring durations, WAN bytes per region, window misses and the verdict.</summary>
internal static class RehearseCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var release = new Option<string[]>("--release") { Description = "The proposed release, app=version (repeat for more apps)", HelpName = "APP=VERSION", AllowMultipleArgumentsPerToken = false };
        var scenario = new Option<string?>("--scenario") { Description = "An edge-infra:lab scenario of the stack whose faults the simulator injects", HelpName = "NAME" };
        var seed = new Option<ulong?>("--seed") { Description = "The simulator's random seed (default edge-infra:lab.seed, 42)", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print the prediction as JSON" };
        var offline = CommonOptions.Offline();
        var command = new Command("rehearse", "Predict a release's rollout on the simulator: durations per ring, WAN bytes, window misses")
        {
            cwd, stack, release, scenario, seed, json, offline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new RehearseRequest(parse.GetValue(release) ?? [], parse.GetValue(scenario), parse.GetValue(seed), parse.GetValue(offline));
            RehearsalReport report;
            try
            {
                report = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).RehearseAsync(request, ct);
            }
            catch (RehearsalException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json)) JsonOutput.Write(context.Out, report);
            else WriteText(context.Out, report);
            return report.WouldComplete ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    internal static void WriteText(TextWriter o, RehearsalReport r)
    {
        o.WriteLine($"Rehearsal of {r.Stack}: {r.CurrentRelease} -> {r.ProposedRelease} (virtual time from the start of the walk)");
        o.WriteLine();
        o.WriteLine($"  {"ring",-12} {"phase",-11} {"applied",9} {"ready",9} {"bake end",9} {"apply->ready",13} {"apply->bake end",16}");
        foreach (var ring in r.Rings)
            o.WriteLine($"  {ring.Ring,-12} {ring.Phase,-11} {D(ring.AppliedAt),9} {D(ring.ReadyAt),9} {D(ring.BakeEndAt),9} {D(ring.ApplyToReady),13} {D(ring.ApplyToBakeEnd),16}");
        o.WriteLine($"  total {D(r.Total)}");
        foreach (var i in r.Images) o.WriteLine($"  {i.App} {i.Version} pinned to {i.Digest} ({i.Source})");
        o.WriteLine();
        o.WriteLine("WAN bytes per region (mirror hits / misses):");
        if (r.Regions.Count == 0) o.WriteLine("  nothing pulled");
        foreach (var g in r.Regions)
            o.WriteLine($"  {g.Region,-20} {Bytes(g.WanBytes),10}   {g.MirrorHits} hit(s) / {g.MirrorMisses} miss(es)");
        o.WriteLine();
        o.WriteLine($"Stores outside their maintenance window when their ring opens: {r.WindowMisses.Count}" +
            (r.WindowMisses.Count > 0 ? $" (paused until it opens; the longest wait, {D(r.WindowMisses.Max(m => m.WaitsFor))}, is part of the timeline above)" : ""));
        foreach (var m in r.WindowMisses.Take(20)) o.WriteLine($"  {m.Store,-24} {m.Ring,-12} {m.Window}, waits {D(m.WaitsFor)}");
        if (r.WindowMisses.Count > 20) o.WriteLine($"  … and {r.WindowMisses.Count - 20} more (--json lists all)");
        o.WriteLine($"Offline stores that would wait: {r.OfflineStores.Count}");
        foreach (var s in r.OfflineStores.Take(20)) o.WriteLine($"  {s}");
        if (r.OfflineStores.Count > 20) o.WriteLine($"  … and {r.OfflineStores.Count - 20} more (--json lists all)");
        o.WriteLine();
        o.WriteLine($"Verdict: {r.Verdict}");
        var a = r.Assumptions;
        o.WriteLine($"Assumes: agent check-in every {D(a.CheckinInterval)}; bandwidth " +
            string.Join(", ", a.NetworkTierMbps.Select(kv => $"{kv.Key} {N(kv.Value)} Mbit/s")) + $", other {N(a.DefaultMbps)} Mbit/s; image size " +
            string.Join(", ", a.ImageSizeMb.Select(kv => $"{kv.Key} {N(kv.Value)} MB").Append($"other {N(a.DefaultImageSizeMb)} MB")) + $"; seed {a.Seed}.");
    }

    private static string D(TimeSpan? span) => span is { } s ? Durations.Format(s) : "-";

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0 GiB", CultureInfo.InvariantCulture),
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0 MiB", CultureInfo.InvariantCulture),
        _ => $"{bytes} B",
    };
}
