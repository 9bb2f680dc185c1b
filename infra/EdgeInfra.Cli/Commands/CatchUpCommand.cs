using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Components.Text;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra catch-up</c>: the stores that were offline (or not registered) when their ring was applied, per change class; releases
/// the paused ones their class allows (next-window: back and inside the window; hold-for-review: approved), records
/// which stores caught up and when. <c>--approve</c> approves hold-for-review stores; <c>--wait</c> keeps passing until
/// nothing is left that the policy may release.</summary>
internal static class CatchUpCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var approve = new Option<string[]>("--approve")
        {
            Description = "Approve these hold-for-review stores: they are released at once (audited)", HelpName = "STORE",
            AllowMultipleArgumentsPerToken = true,
        };
        var all = new Option<bool>("--all") { Description = "Approve every store awaiting approval (instead of --approve STORE)" };
        var wait = new Option<bool>("--wait") { Description = "Pass every gate interval until only stores awaiting approval are left" };
        var timeout = new Option<string?>("--timeout") { Description = "With --wait: give up after this long (default 24h); exit 1", HelpName = "DURATION" };
        var json = CommonOptions.Json();
        var command = new Command("catch-up", "Release offline stores as their change class allows; approve hold-for-review ones")
        {
            cwd, stack, approve, all, wait, timeout, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var limit = TimeSpan.FromHours(24);
            if (parse.GetValue(timeout) is { } t && !(DurationText.TryParse(t, out limit) && limit > TimeSpan.Zero))
                throw new UsageException($"--timeout '{t}' is not a positive duration (e.g. 30m, 12h)");
            var request = new CatchUpRequest(parse.GetValue(wait), limit, parse.GetValue(approve) ?? [], parse.GetValue(all));
            var run = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).CatchUpAsync(request, new RolloutTimelinePrinter(context.Out),
                chosen => context.Out.WriteLine($"approved {chosen.Count} store(s): {string.Join(", ", chosen.Order(StringComparer.Ordinal).Take(20))}"), ct);
            var (report, at, stores) = (run.Report, run.At, run.Stores);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, new
                {
                    stack = run.Stack,
                    now = at,
                    error = report.Error,
                    timedOut = report.TimedOut,
                    caughtUp = report.CaughtUp.Select(e => new { store = e.Store, ring = e.Ring, @class = CatchUpPolicy.Name(e.Class), cause = CatchUpPolicy.Name(e.Cause), since = e.Since, returned = e.ReturnedAt, released = e.ReleasedAt }),
                    released = report.Released.Select(e => e.Store),
                    awaiting = report.Remaining.Select(r => new
                    {
                        store = r.Entry.Store,
                        ring = r.Entry.Ring,
                        @class = CatchUpPolicy.Name(r.Entry.Class),
                        cause = CatchUpPolicy.Name(r.Entry.Cause),
                        paused = r.Entry.Paused,
                        approved = r.Entry.Approved,
                        state = r.Status?.State.ToString(),
                        since = r.Entry.Since,
                        returned = r.Entry.ReturnedAt,
                        waiting = r.Waiting(at, stores.GetValueOrDefault(r.Entry.Store)),
                    }),
                });
            }
            else
            {
                foreach (var e in report.CaughtUp) context.Out.WriteLine($"caught up: {e.Store} ({e.Ring}, {CatchUpPolicy.Name(e.Class)})");
                foreach (var e in report.Released) context.Out.WriteLine($"released: {e.Store} ({e.Ring}, {CatchUpPolicy.Name(e.Class)})");
                if (report.Remaining.Count == 0) context.Out.WriteLine("No store awaits catch-up.");
                else
                {
                    context.Out.WriteLine($"Awaiting catch-up: {report.Describe()}");
                    foreach (var r in report.Remaining.Take(50))
                        context.Out.WriteLine($"  {r.Entry.Store,-24} {r.Entry.Ring,-16} {CatchUpPolicy.Name(r.Entry.Class),-16} {r.Waiting(at, stores.GetValueOrDefault(r.Entry.Store))}");
                    if (report.Remaining.Count > 50) context.Out.WriteLine($"  ... and {report.Remaining.Count - 50} more (--json lists all)");
                }
            }
            if (report.Error is { } error)
            {
                context.Error.WriteLine($"error: {error}");
                return ExitCodes.Failure;
            }
            if (report.TimedOut)
            {
                context.Error.WriteLine($"error: stores still await catch-up after {Durations.Format(limit)}: {report.Describe()}");
                return ExitCodes.Failure;
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
