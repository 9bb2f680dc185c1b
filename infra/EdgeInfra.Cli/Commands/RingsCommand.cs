using EdgeInfra.Automation;
using System.CommandLine;
using EdgeInfra.Engine.Config;
using EdgeInfra.StackInputs;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra rings assign</c>: stratified, stable ring membership written back into the inventory for review.</summary>
internal static class RingsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("rings", "Manage rollout-ring membership");
        command.Subcommands.Add(Assign(context));
        return command;
    }

    private static Command Assign(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the assignment without writing the inventory" };
        var command = new Command("assign",
            "Give every store without a valid rollout-ring a ring, filling percentage rings in order; the canary covers every " +
            "region x network-tier x hardware-class stratum its size allows. Stores that have a ring keep it.")
        {
            cwd, stack, dryRun,
        };
        command.SetAction(parse =>
        {
            var project = ProjectLocator.Load(CliPaths.Cwd(parse.GetValue(cwd)));
            var config = StackConfigLoader.Load(project, parse.GetValue(stack)!, new EnvironmentPassphraseSource());
            var assignment = FleetLoader.AssignRings(project.ProjectDir, config, write: !parse.GetValue(dryRun));
            context.Out.WriteLine(assignment.Summary());
            return ExitCodes.Success;
        });
        return command;
    }
}
