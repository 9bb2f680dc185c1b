using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Walker;

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
            var scope = RolloutScope.Open(parse.GetValue(cwd), parse.GetValue(stack)!);
            var wanted = Parse(parse.GetValue(items)!);
            var added = scope.Holds.Hold(wanted, parse.GetValue(reason)!, scope.Actor, context.Time.GetUtcNow());
            foreach (var item in added)
                await scope.RecordAsync(context.Time, AuditActions.HoldRelease, parse.GetValue(reason)!, release: item, ct: ct);
            foreach (var item in wanted)
                context.Out.WriteLine(added.Contains(item) ? $"{item} is now on hold." : $"{item} was already on hold.");
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
            var scope = RolloutScope.Open(parse.GetValue(cwd), parse.GetValue(stack)!);
            var wanted = Parse(parse.GetValue(items)!);
            var removed = scope.Holds.Unhold(wanted);
            foreach (var hold in removed)
                await scope.RecordAsync(context.Time, AuditActions.Unhold, $"released the hold of {hold.Actor}: {hold.Reason}", release: hold.Item, ct: ct);
            var missing = wanted.Except(removed.Select(r => r.Item)).ToList();
            foreach (var hold in removed) context.Out.WriteLine($"{hold.Item} is no longer held (was: {hold.Reason}).");
            if (missing.Count == 0) return ExitCodes.Success;
            var held = scope.Holds.List();
            throw new UsageException($"not on hold: {string.Join(", ", missing)}; held now: " +
                                     (held.Count == 0 ? "nothing" : string.Join(", ", held.Select(h => h.Item))));
        });
        return command;
    }

    private static Argument<string[]> Items(string description) =>
        new("releases") { Description = description, Arity = ArgumentArity.OneOrMore };

    private static IReadOnlyList<string> Parse(string[] items)
    {
        var bad = items.Where(i => ReleaseSet.ParseItem(i) is null).ToList();
        if (bad.Count > 0) throw new UsageException($"releases are written app=version (e.g. pos-app=2.5.0); not: {string.Join(", ", bad)}");
        return [.. items.Select(i => ReleaseSet.ParseItem(i)!.Value).Select(i => ReleaseSet.Item(i.App, i.Version)).Distinct()];
    }
}
