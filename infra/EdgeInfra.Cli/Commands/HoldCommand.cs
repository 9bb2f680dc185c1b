using System.CommandLine;
using EdgeInfra.Automation;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra hold</c> / <c>unhold</c>: put a release (<c>app=version</c>) on hold by hand, or release a hold
/// a rollback put on it.</summary>
internal static class HoldCommand
{
    public static Command CreateHold(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var items = Items("The releases to hold, as app=version");
        var reason = new Option<string>("--reason") { Description = "Why the release is held", Required = true };
        var command = new Command("hold", "Hold a release: neither up nor rollout applies it until unhold") { cwd, stack, items, reason };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!)
                .HoldAsync(parse.GetValue(items)!, parse.GetValue(reason)!, ct);
            foreach (var item in result.Requested)
                context.Out.WriteLine(result.Added.Contains(item) ? $"{item} is now on hold." : $"{item} was already on hold.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateUnhold(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var items = Items("The held releases to release, as app=version");
        var command = new Command("unhold", "Release a held release so up and rollout may apply it again") { cwd, stack, items };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).UnholdAsync(parse.GetValue(items)!, ct);
            foreach (var hold in result.Removed) context.Out.WriteLine($"{hold.Item} is no longer held (was: {hold.Reason}).");
            if (result.NotHeld.Count == 0) return ExitCodes.Success;
            throw new UsageException($"not on hold: {string.Join(", ", result.NotHeld)}; held now: " +
                                     (result.HeldNow.Count == 0 ? "nothing" : string.Join(", ", result.HeldNow.Select(h => h.Item))));
        });
        return command;
    }

    private static Argument<string[]> Items(string description) =>
        new("releases") { Description = description, Arity = ArgumentArity.OneOrMore };
}
