using System.CommandLine;
using EdgeInfra.Automation;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra rollback</c>: an emergency rollback by hand: re-applies a ring's last-known-good (or a chosen)
/// history version at once, skipping gates, windows and freezes, and holds the release it replaced.</summary>
internal static class RollbackCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var to = new Option<int?>("--to") { Description = "The ring stack's history version to return to (default: its last known good)", HelpName = "VERSION" };
        var all = new Option<bool>("--all") { Description = "The global kill switch: roll every ring back to its last known good" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log and the commit)" };
        var command = new Command("rollback", "Roll a ring (or, with --all, every ring) back to its last-known-good version now") { cwd, stack, ring, to, all, reason };
        command.SetAction(async (parse, ct) =>
        {
            var ringName = parse.GetValue(ring);
            var version = parse.GetValue(to);
            var everything = parse.GetValue(all);
            if (ringName is null == !everything) throw new UsageException("rollback needs --ring RING or --all (every ring)");
            if (version is not null && everything) throw new UsageException("--to names a version of one ring stack; use it with --ring");

            var request = new RollbackRequest(ringName, version, parse.GetValue(reason) ?? "manual rollback");
            var outcomes = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).RollbackAsync(request, o => Write(context, o), ct);
            return outcomes.Any(o => o.Failed) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static void Write(CliContext context, RingRollback o)
    {
        if (o.Target is not { } target)
            context.Out.WriteLine($"{o.Ring}: no earlier version to return to" + (o.Current is null ? " (never applied)" : $" (on {o.Current.Releases})"));
        else if (o.Failed)
            context.Error.WriteLine($"error: {o.Ring}: rollback to v{target.Version} failed: {o.Error}");
        else
            context.Out.WriteLine($"{o.Ring}: back on v{target.Version} ({target.Releases})" +
                                  (o.Revision is { } c ? $", commit {c[..Math.Min(7, c.Length)]}" : "") +
                                  (o.Held.Count > 0 ? $"; holding {string.Join(", ", o.Held)}" : ""));
    }
}
