using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.Deployment;
using Spectre.Console;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra refresh</c>: reads every resource back and reports (and records) drift from the last update.</summary>
internal static class RefreshCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var json = CommonOptions.Json();
        var previewOnly = new Option<bool>("--preview-only") { Description = "Report drift without recording it in state" };
        var expectNoChanges = new Option<bool>("--expect-no-changes") { Description = "Exit 1 when any drift is found" };
        var command = new Command("refresh", "Read the fleet repo and devices back and report drift from the recorded state")
        {
            cwd, stack, ring, json, previewOnly, expectNoChanges,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            var selected = StackSelection.Resolve(ws, parse.GetValue(ring), allRings: false, requireChoice: false, "refresh");
            var source = SourceInfo.Discover(ws.Project.ProjectDir);
            var options = new RefreshOptions
            {
                PreviewOnly = parse.GetValue(previewOnly), Actor = source.Actor, Message = "edgeinfra refresh",
                Parallelism = EngineSession.DefaultParallelism(ws),
            };
            var results = new List<RefreshResult>();
            foreach (var s in selected)
            {
                // A preview-only refresh takes no stack lock, so it must not share the cache of an update that may run.
                using var session = EngineSession.Open(ws, options.PreviewOnly ? $"{s.Name}.read" : s.Name, context.Time);
                using (PhaseTimer.Start($"refresh {s.Name}"))
                    results.Add(await session.Engine.RefreshAsync(s.Name, options, null, ct));
            }
            if (parse.GetValue(json))
                JsonOutput.Write(context.Out, new
                {
                    stack = ws.Stack,
                    stacks = results.Select(r => new
                    {
                        stack = r.Stack,
                        succeeded = r.Succeeded,
                        drift = r.Drift.Select(d => new
                        {
                            urn = d.Urn.Value,
                            missing = d.Missing,
                            diffs = d.InputDiffs.Select(PropertyChange.From),
                        }),
                        failures = r.Failures.Select(f => f.Message),
                    }),
                });
            else
                foreach (var r in results) Write(context.Console, r);
            var failed = results.Any(r => !r.Succeeded);
            var drifted = results.Any(r => r.Drift.Count > 0);
            return failed || (drifted && parse.GetValue(expectNoChanges)) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, RefreshResult r)
    {
        console.MarkupLineInterpolated($"[bold]Refreshing ({r.Stack})[/]: {(r.Drift.Count == 0 ? "no drift" : $"{r.Drift.Count} resources drifted")}");
        foreach (var d in r.Drift)
        {
            console.MarkupLineInterpolated($"  [yellow]~ {d.Urn.Type} {d.Urn.Name}[/] {(d.Missing ? "missing (removed from state; the next up re-creates it)" : "drifted (the next up corrects it)")}");
            ChangeRenderer.WriteDiffs(console, d.InputDiffs.Select(PropertyChange.From), indent: 6);
        }
        foreach (var f in r.Failures) console.MarkupLineInterpolated($"  [red]error[/]: {f.Message}");
        console.WriteLine();
    }
}
