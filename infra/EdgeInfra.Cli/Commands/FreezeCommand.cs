using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Holds;

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
            var scope = RolloutScope.Open(parse.GetValue(cwd), parse.GetValue(stack)!);
            var why = parse.GetValue(reason)!;
            if (string.IsNullOrWhiteSpace(why)) throw new UsageException("--reason must say why the stack is frozen");
            var freeze = new Freeze(why, scope.Actor, context.Time.GetUtcNow());
            scope.Freezes.Set(freeze);
            await scope.RecordAsync(context.Time, AuditActions.Freeze, why, ct: ct);
            context.Out.WriteLine($"Stack {scope.Stack} is {FreezeGate.Describe(freeze)}");
            context.Out.WriteLine("Rollouts hold before their next promotion; rollbacks still run. Lift it with: " +
                                  $"edgeinfra unfreeze --stack {scope.Stack}");
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
            var scope = RolloutScope.Open(parse.GetValue(cwd), parse.GetValue(stack)!);
            var lifted = scope.Freezes.Lift();
            if (lifted is null)
            {
                context.Out.WriteLine($"Stack {scope.Stack} is not frozen.");
                return ExitCodes.Success;
            }
            await scope.RecordAsync(context.Time, AuditActions.Unfreeze, $"lifted the freeze of {lifted.Actor}: {lifted.Reason}", ct: ct);
            context.Out.WriteLine($"Stack {scope.Stack} is no longer frozen (was: {FreezeGate.Describe(lifted)}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
