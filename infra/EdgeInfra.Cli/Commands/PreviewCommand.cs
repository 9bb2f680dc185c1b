using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;

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
        var savePlan = new Option<string?>("--save-plan")
        {
            Description = "Also save the preview as a plan that `up --plan` or `rollout --plan` applies exactly, or refuses if anything moved",
            HelpName = "FILE",
        };
        var command = new Command("preview", "Show which stores, rings and resources an update would create, update, replace, move or delete")
        {
            cwd, stack, ring, diff, json, target, expectNoChanges, savePlan,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var total = PhaseTimer.Start("preview");
            var preview = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!)
                .PreviewAsync(new PreviewRequest(parse.GetValue(ring), parse.GetValue(target), SavePlan: parse.GetValue(savePlan) is not null), ct);
            var views = preview.Stacks;
            if (parse.GetValue(json)) JsonOutput.Write(context.Out, new { stack = preview.Stack, stacks = views });
            else
            {
                foreach (var v in views) ChangeRenderer.Write(context.Console, v, dryRun: true, parse.GetValue(diff));
                ChangeRenderer.WriteFleetSummary(context.Console, views);
            }
            if (parse.GetValue(savePlan) is { } planFile)
            {
                preview.Plan!.Save(Path.GetFullPath(planFile));
                context.Error.WriteLine($"Saved the plan to {planFile}: apply it with `edgeinfra up --plan {planFile}` or `edgeinfra rollout --plan {planFile}`.");
            }
            return parse.GetValue(expectNoChanges) && preview.HasChanges ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
