using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra preview</c>: what <c>up</c> would change, per ring stack, without touching anything.</summary>
internal static class PreviewCommand
{
    private const string Text = "text";
    private const string Json = "json";
    private const string Markdown = "markdown";

    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var diff = CommonOptions.Diff();
        var json = CommonOptions.Json();
        json.Description = "Print machine-readable JSON (the same as --format json)";
        var format = new Option<string?>("--format")
        {
            Description = "text (default), json, or markdown: a pull-request comment with the reach of each ring, a rollout " +
                          "estimate, expiring overrides, lint and the full diff collapsed, under GitHub's 65,536-character limit",
        };
        format.AcceptOnlyFromAmong(Text, Json, Markdown);
        var target = CommonOptions.Target();
        var expectNoChanges = new Option<bool>("--expect-no-changes") { Description = "Exit 1 when anything would change" };
        var offline = CommonOptions.Offline();
        var savePlan = new Option<string?>("--save-plan")
        {
            Description = "Also save the preview as a plan that `up --plan` or `rollout --plan` applies exactly, or refuses if anything moved",
            HelpName = "FILE",
        };
        var command = new Command("preview", "Show which stores, rings and resources an update would create, update, replace, move or delete")
        {
            cwd, stack, ring, diff, json, format, target, expectNoChanges, savePlan, offline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(format);
            if (parse.GetValue(json) && chosen is not (null or Json))
                throw new UsageException($"--json and --format {chosen} ask for two outputs; use one of them");
            chosen ??= parse.GetValue(json) ? Json : Text;
            using var total = PhaseTimer.Start("preview");
            var preview = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!)
                .PreviewAsync(new PreviewRequest(parse.GetValue(ring), parse.GetValue(target), SavePlan: parse.GetValue(savePlan) is not null,
                    Offline: parse.GetValue(offline)), ct);
            var views = preview.Stacks;
            switch (chosen)
            {
                case Json:
                    JsonOutput.Write(context.Out, new { stack = preview.Stack, stacks = views, images = preview.Images, movedTags = preview.MovedTags });
                    break;
                case Markdown:
                    context.Out.Write(MarkdownPreview.Render(preview));
                    break;
                default:
                    foreach (var v in views) ChangeRenderer.Write(context.Console, v, dryRun: true, parse.GetValue(diff));
                    ChangeRenderer.WriteFleetSummary(context.Console, views);
                    ChangeRenderer.WriteMovedTags(context.Console, preview.MovedTags);
                    break;
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
