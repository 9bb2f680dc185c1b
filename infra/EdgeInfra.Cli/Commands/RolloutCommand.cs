using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Automation.Plans;
using EdgeInfra.Cli.Output;
using EdgeInfra.Components.Text;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra rollout</c>: walks every ring of the stack to the configured release through the health gates;
/// promotes, holds or rolls back. Rerunning the same command resumes.</summary>
internal static class RolloutCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var holdTimeout = new Option<string?>("--hold-timeout") { Description = "How long a ring may hold before the rollout exits 1 (default: edge-infra:rollout.holdTimeout, 4h)", HelpName = "DURATION" };
        var gateInterval = new Option<string?>("--gate-interval") { Description = "How often gates are evaluated (default: edge-infra:rollout.gateInterval, 1m)", HelpName = "DURATION" };
        var scenario = new Option<string?>("--scenario") { Description = "Lab only: the edge-infra:lab scenario whose faults the simulator injects (e.g. bad-release)", HelpName = "NAME" };
        var allowMassDelete = CommonOptions.AllowMassDelete();
        var plan = CommonOptions.Plan();
        var offline = CommonOptions.Offline();
        var command = new Command("rollout", "Walk every ring to the configured release, gated on health; roll back on a breach")
        {
            cwd, stack, holdTimeout, gateInterval, scenario, allowMassDelete, plan, offline,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new RolloutRequest(Duration(parse.GetValue(holdTimeout), "--hold-timeout"),
                Duration(parse.GetValue(gateInterval), "--gate-interval"), parse.GetValue(scenario), parse.GetValue(allowMassDelete),
                Plan: parse.GetValue(plan) is { } file ? SavedPlan.Load(Path.GetFullPath(file)) : null, Offline: parse.GetValue(offline));
            var report = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!)
                .RolloutAsync(request, new RolloutTimelinePrinter(context.Out), ct);
            RolloutTimelinePrinter.WriteSummary(context.Out, report);
            if (report.Completed) return ExitCodes.Success;
            context.Error.WriteLine($"error: {report.Result.Reason}");
            return ExitCodes.Failure;
        });
        return command;
    }

    private static TimeSpan? Duration(string? text, string option)
    {
        if (text is null) return null;
        if (DurationText.TryParse(text, out var span) && span > TimeSpan.Zero) return span;
        throw new UsageException($"{option} '{text}' is not a positive duration (e.g. 30s, 10m, 2h)");
    }
}
