using System.CommandLine;
using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Walker;

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

            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            var scope = RolloutScope.Of(ws);
            var why = parse.GetValue(reason) ?? "manual rollback";
            var applier = new EngineRingApplier(ws, scope.Source, context.Time, "edgeinfra rollback");
            if (!everything) _ = ws.RingStack(ringName!); // an unknown ring is bad input, named with the known ones
            var rings = everything ? ws.Rings.Select(r => r.Name).ToList() : [ringName!];
            var failed = false;
            foreach (var r in rings)
            {
                var current = await applier.FindVersionAsync(r, LastKnownGood.IsCurrent, ct);
                var held = scope.Holds.List().Select(h => h.Item).ToHashSet(StringComparer.Ordinal);
                RingVersion? target = version is { } v
                    ? await applier.FindVersionAsync(r, x => x.Version == v, ct) ?? throw new UsageException($"ring {r} has no recorded update v{v} with a desired state; see edgeinfra history --stack {ws.Stack} --ring {r}")
                    : current is null ? null : await applier.FindVersionAsync(r, x => LastKnownGood.Accepts(x, current.Releases, held), ct);
                if (target is null)
                {
                    context.Out.WriteLine($"{r}: no earlier version to return to" + (current is null ? " (never applied)" : $" (on {current.Releases})"));
                    continue;
                }
                var result = await applier.RestoreAsync(r, target.Version, $"{why} (to v{target.Version})", ct);
                if (!result.Succeeded)
                {
                    context.Error.WriteLine($"error: {r}: rollback to v{target.Version} failed: {result.Error}");
                    failed = true;
                    continue;
                }
                var replaced = current?.Releases.ChangedFrom(target.Releases) ?? [];
                scope.Holds.Hold(replaced, $"rolled back by hand: {why}", scope.Actor, context.Time.GetUtcNow());
                await scope.RecordAsync(context.Time, AuditActions.Rollback, $"manual: {why}", r, current?.Releases.Key,
                    new Dictionary<string, string>
                    {
                        ["to"] = target.Version.ToString(CultureInfo.InvariantCulture),
                        ["toRelease"] = target.Releases.Key,
                        ["commit"] = result.Revision ?? "",
                        ["held"] = string.Join(",", replaced),
                    }, ct);
                context.Out.WriteLine($"{r}: back on v{target.Version} ({target.Releases})" +
                                      (result.Revision is { } c ? $", commit {c[..Math.Min(7, c.Length)]}" : "") +
                                      (replaced.Count > 0 ? $"; holding {string.Join(", ", replaced)}" : ""));
            }
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
