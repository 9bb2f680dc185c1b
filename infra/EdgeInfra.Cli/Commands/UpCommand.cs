using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Automation.Plans;
using EdgeInfra.Automation.Releases;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.Deployment;
using Spectre.Console;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra up</c>: applies one ring stack (or, deliberately, every ring) to the fleet repo.</summary>
internal static class UpCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var allRings = CommonOptions.AllRings();
        var yes = CommonOptions.Yes();
        var diff = CommonOptions.Diff();
        var json = CommonOptions.Json();
        var target = CommonOptions.Target();
        var parallel = CommonOptions.Parallel();
        var message = CommonOptions.Message();
        var allowMassDelete = CommonOptions.AllowMassDelete();
        var plan = CommonOptions.Plan();
        var offline = CommonOptions.Offline();
        var command = new Command("up", "Apply a ring stack: write its stores, bundles and hub objects to the fleet repo in one commit")
        {
            cwd, stack, ring, allRings, yes, diff, json, target, parallel, message, allowMassDelete, plan, offline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ws = await FleetWorkspace.LoadAsync(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time,
                parse.GetValue(offline) ? ImagePinning.Offline : ImagePinning.Resolve, ct);
            foreach (var warning in ws.Fleet.Warnings) context.Error.WriteLine($"warning: {warning}");
            var selected = StackSelection.Resolve(ws, parse.GetValue(ring), parse.GetValue(allRings), requireChoice: true, "up");
            if (parse.GetValue(plan) is { } planFile)
            {
                if (parse.GetValue(target) is { Length: > 0 }) throw new UsageException("--plan applies whole stacks; it cannot be used with --target");
                await SavedPlans.VerifyAsync(ws, SavedPlan.Load(Path.GetFullPath(planFile)), parse.GetValue(ring), ct);
            }
            EdgeInfraStack.RefuseHeld(ws, selected);
            await ReleaseSignatureVerifier.RefuseUnverifiedAsync(ws, selected.Select(s => s.Ring).OfType<string>(), null, context.Time, ct);
            var source = SourceInfo.Discover(ws.Project.ProjectDir);
            var options = new UpdateOptions
            {
                Targets = [.. parse.GetValue(target) ?? []],
                Parallelism = parse.GetValue(parallel) ?? EngineSession.DefaultParallelism(ws),
            };
            var asJson = parse.GetValue(json);

            var previews = await StackPreviews.PlanAsync(ws, selected, options, context.Time, ct);
            if (!asJson)
                foreach (var (_, view) in previews) ChangeRenderer.Write(context.Console, view, dryRun: true, parse.GetValue(diff));
            // A stack whose last run stopped before compacting its journal (a full disk) is run too, to finish that.
            bool Due((SelectedStack Stack, StackChangeView View) p) => p.View.HasChanges || ws.Backend.HasUncompactedJournal(p.Stack.Name);
            if (!previews.Any(Due))
            {
                if (asJson) JsonOutput.Write(context.Out, new { stack = ws.Stack, stacks = Array.Empty<object>() });
                else context.Console.MarkupLine("[green]No changes.[/] Nothing to apply; no commit made.");
                return ExitCodes.Success;
            }
            MassDeleteGuard.Check(ws, previews.Select(p => p.View), parse.GetValue(allowMassDelete));
            if (!parse.GetValue(yes)) Confirm.UpdateOrThrow(context);

            var results = new List<object>();
            var failed = false;
            foreach (var (s, view) in previews.Where(Due))
            {
                using var session = EngineSession.Open(ws, s.Name, context.Time);
                var stackOptions = ChangeTrailers.Describe(options with { Siblings = [.. ws.Siblings(s.Ring)] }, s, source, "edgeinfra up", parse.GetValue(message));
                UpdateResult result;
                using (PhaseTimer.Start($"apply {s.Name}"))
                    result = await StepProgress.Run(context, s.Name, view, p => session.Engine.UpAsync(s.Desired, stackOptions, p, ct));
                results.Add(UpdateReport.Json(result, s.Ring));
                if (!asJson) UpdateReport.Write(context.Console, result);
                if (!result.Succeeded) { failed = true; break; }
            }
            if (asJson) JsonOutput.Write(context.Out, new { stack = ws.Stack, updates = results });
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
