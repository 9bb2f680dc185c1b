using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Gates;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra freeze</c> / <c>unfreeze</c>: a change freeze blocks every promotion of the stack, never a rollback.</summary>
internal static class FreezeCommand
{
    public static Command CreateFreeze(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var reason = new Option<string>("--reason") { Description = "Why the stack is frozen (shown to every rollout it holds)", Required = true };
        var command = new Command("freeze", "Freeze the stack: no ring is promoted until unfreeze (rollbacks still run)") { cwd, stack, reason };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(stack)!;
            var freeze = await context.Stack(parse.GetValue(cwd), name).FreezeAsync(parse.GetValue(reason)!, ct);
            context.Out.WriteLine($"Stack {name} is {FreezeGate.Describe(freeze)}");
            context.Out.WriteLine("Rollouts hold before their next promotion; rollbacks still run. Lift it with: " +
                                  $"edgeinfra unfreeze --stack {name}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateUnfreeze(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var command = new Command("unfreeze", "Lift the stack's freeze: held rollouts promote again at their next gate evaluation") { cwd, stack };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(stack)!;
            var lifted = await context.Stack(parse.GetValue(cwd), name).UnfreezeAsync(ct);
            if (lifted is null)
            {
                context.Out.WriteLine($"Stack {name} is not frozen.");
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"Stack {name} is no longer frozen (was: {FreezeGate.Describe(lifted)}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
