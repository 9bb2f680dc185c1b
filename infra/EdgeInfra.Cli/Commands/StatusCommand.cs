using System.CommandLine;
using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using Spectre.Console;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra status</c>: every store's state read from the Fleet hub, counted per ring, with per-store
/// details (last seen, ring, last applied and last attempted revision, why).</summary>
/// <remarks>
/// A ring counts as opened at the fleet-repo commit of its ring stack's last successful update; a ring never applied
/// is not-selected. In the lab the simulator is opened read-only at its persisted virtual now, so status never moves
/// the lab forward. Without --ring or --store the table lists only the stores that need attention.
/// </remarks>
internal static class StatusCommand
{
    private const int AttentionLimit = 50;
    private static readonly StoreState[] States = Enum.GetValues<StoreState>();

    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        ring.Description = "Only this ring: its counts and every one of its stores";
        var store = new Option<string?>("--store") { Description = "Only this store, in detail", HelpName = "ID" };
        var json = CommonOptions.Json();
        var command = new Command("status", "Show every store's state from the Fleet hub, per ring and per store") { cwd, stack, ring, store, json };
        command.SetAction(async (parse, ct) =>
        {
            var ringName = parse.GetValue(ring);
            var storeId = parse.GetValue(store);
            var report = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).StatusAsync(new StatusRequest(ringName, storeId), ct);
            var (now, selected, catchUp) = (report.Now, report.Stores, report.CatchUp);
            string? CatchUpOf(string id) => report.CatchUpWaiting.GetValueOrDefault(id);
            var counts = report.Rings.Select(r => (r.Ring, r.Revision, Counts: States.ToDictionary(st => st, st => r.Counts[st]))).ToList();

            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, new
                {
                    stack = report.Stack,
                    now,
                    hub = report.IsLab ? "lab simulator" : "fleet",
                    error = report.Error,
                    rings = counts.Select(c => new
                    {
                        ring = c.Ring,
                        revision = c.Revision,
                        stores = c.Counts.Values.Sum(),
                        states = c.Counts.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key.ToWire(), kv => kv.Value),
                    }),
                    stores = selected.Select(s => new
                    {
                        id = s.StoreId,
                        ring = s.Ring,
                        state = s.State.ToWire(),
                        lastSeen = s.LastSeen,
                        appliedRevision = s.AppliedRevision,
                        attemptedRevision = s.AttemptedRevision,
                        reason = s.Reason,
                        catchUp = catchUp.TryGetValue(s.StoreId, out var e) ? new
                        {
                            @class = CatchUpPolicy.Name(e.Class),
                            cause = CatchUpPolicy.Name(e.Cause),
                            paused = e.Paused,
                            approved = e.Approved,
                            since = e.Since,
                            waiting = CatchUpOf(s.StoreId),
                        } : null,
                    }),
                    awaitingCatchUp = catchUp.Values.GroupBy(e => CatchUpPolicy.Name(e.Class)).ToDictionary(g => g.Key, g => g.Count()),
                });
                return report.Reachable ? ExitCodes.Success : ExitCodes.Failure;
            }

            if (!report.Reachable)
            {
                context.Error.WriteLine($"error: cannot read the Fleet hub: {report.Error}");
                return ExitCodes.Failure;
            }
            context.Console.MarkupLineInterpolated($"[bold]{report.Stack}[/] at {Time(now)} ({(report.IsLab ? "lab simulator" : "Fleet hub")})");
            WriteRingTable(context.Console, counts);
            if (catchUp.Count > 0)
                context.Console.MarkupLineInterpolated($"Awaiting catch-up ({string.Join(", ", catchUp.Values.GroupBy(e => e.Cause).OrderBy(g => g.Key).Select(g => $"{CatchUpPolicy.Name(g.Key)} {g.Count()}"))}; never failed): {string.Join(", ", catchUp.Values.GroupBy(e => e.Class).OrderBy(g => g.Key).Select(g => $"{CatchUpPolicy.Name(g.Key)} {g.Count()} ({g.Count(e => e.Paused)} paused)"))}");
            var details = ringName is null && storeId is null
                ? selected.Where(s => s.State is not (StoreState.Ready or StoreState.NotSelected or StoreState.Pending) || catchUp.ContainsKey(s.StoreId)).ToList()
                : selected;
            if (details.Count == 0)
            {
                if (ringName is null && storeId is null) context.Console.MarkupLine("No store needs attention (none failed, drifted, offline or applying).");
                return ExitCodes.Success;
            }
            WriteStoreTable(context.Console, details.Take(storeId is null && ringName is null ? AttentionLimit : int.MaxValue).Select(d => CatchUpOf(d.StoreId) is { } c ? d with { Reason = d.Reason is null ? c : $"{c} ({d.Reason})" } : d),
                storeId is null && ringName is null ? "Stores that need attention" : ringName is not null ? $"Stores of {ringName}" : storeId!);
            if (ringName is null && storeId is null && details.Count > AttentionLimit)
                context.Console.MarkupLineInterpolated($"... and {details.Count - AttentionLimit} more (use --ring RING, --store ID or --json)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteRingTable(IAnsiConsole console, IEnumerable<(string Ring, string? Revision, Dictionary<StoreState, int> Counts)> rings)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Ring").AddColumn("Revision").AddColumn(new TableColumn("Stores").RightAligned());
        foreach (var st in States) table.AddColumn(new TableColumn(st.ToWire()).RightAligned());
        foreach (var (ring, revision, counts) in rings)
        {
            var cells = new List<string> { Markup.Escape(ring), revision is null ? "[grey]not opened[/]" : Markup.Escape(Short(revision)!), Count(counts.Values.Sum()) };
            cells.AddRange(States.Select(st => counts[st] == 0 ? "[grey]0[/]" : $"[{Colour(st)}]{Count(counts[st])}[/]"));
            table.AddRow([.. cells]);
        }
        console.Write(table);
    }

    private static void WriteStoreTable(IAnsiConsole console, IEnumerable<StoreStatus> stores, string title)
    {
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Simple)
            .AddColumns("Store", "Ring", "State", "Last seen", "Applied", "Attempted", "Reason");
        foreach (var s in stores)
            table.AddRow(
                Markup.Escape(s.StoreId),
                Markup.Escape(s.Ring ?? "-"),
                $"[{Colour(s.State)}]{s.State.ToWire()}[/]",
                s.LastSeen is { } seen ? Time(seen) : "never",
                Markup.Escape(Short(s.AppliedRevision) ?? "-"),
                Markup.Escape(Short(s.AttemptedRevision) ?? "-"),
                Markup.Escape(s.Reason ?? ""));
        console.Write(table);
    }

    private static string Colour(StoreState state) => state switch
    {
        StoreState.Ready => "green",
        StoreState.Failed => "red",
        StoreState.Drifted => "magenta",
        StoreState.Offline => "grey",
        StoreState.Applying => "yellow",
        StoreState.Pending => "blue",
        _ => "default",
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Short(string? commit) => commit is { Length: > 12 } ? commit[..12] : commit;
}
