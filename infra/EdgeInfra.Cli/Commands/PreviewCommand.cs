using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.Deployment;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra preview</c>: what <c>up</c> would change, per ring stack, without touching anything.</summary>
internal static class PreviewCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var diff = CommonOptions.Diff();
        var json = CommonOptions.Json();
        var target = CommonOptions.Target();
        var expectNoChanges = new Option<bool>("--expect-no-changes") { Description = "Exit 1 when anything would change" };
        var command = new Command("preview", "Show which stores, rings and resources an update would create, update, replace, move or delete")
        {
            cwd, stack, ring, diff, json, target, expectNoChanges,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var total = PhaseTimer.Start("preview");
            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            foreach (var warning in ws.Fleet.Warnings) context.Error.WriteLine($"warning: {warning}");
            var selected = StackSelection.Resolve(ws, parse.GetValue(ring), allRings: false, requireChoice: false, "preview");
            var options = new UpdateOptions { Targets = [.. parse.GetValue(target) ?? []] };
            var views = (await StackPreviews.PlanAsync(ws, selected, options, context.Time, ct)).Select(p => p.View).ToList();
            if (parse.GetValue(json)) JsonOutput.Write(context.Out, new { stack = ws.Stack, stacks = views });
            else
            {
                foreach (var v in views) ChangeRenderer.Write(context.Console, v, dryRun: true, parse.GetValue(diff));
                ChangeRenderer.WriteFleetSummary(context.Console, views);
            }
            return parse.GetValue(expectNoChanges) && views.Any(v => v.HasChanges) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
