using System.CommandLine;
using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra audit</c>: who changed what, which stores received it and when, from the stack's hash-chained
/// decision log (with the store transitions the rollout host observed) and the fleet repo's commit trailers. A broken
/// chain is reported and exits 1.</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var store = new Option<string?>("--store") { Description = "Only what concerns this store: its ring's decisions and its own transitions", HelpName = "ID" };
        var since = new Option<string?>("--since") { Description = "Only entries from this time on: an ISO 8601 time or a duration ago (2h, 7d)", HelpName = "T" };
        var json = CommonOptions.Json();
        var command = new Command("audit", "Who changed what, which stores received it, and when (verifies the log's hash chain)") { cwd, stack, store, since, json };
        command.SetAction(async (parse, ct) =>
        {
            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            var scope = RolloutScope.Of(ws);
            var from = Since(parse.GetValue(since), context.Time);
            var storeId = parse.GetValue(store);
            string? storeRing = null;
            if (storeId is not null)
                storeRing = ws.Model.Stores.FirstOrDefault(s => s.Id == storeId)?.Ring
                            ?? throw new UsageException($"store '{storeId}' is not in the inventory of stack {ws.Stack}");

            var reading = scope.Audit.Read();
            var entries = reading.Entries.Where(e => e.Record.Time >= from && Concerns(e.Record, storeId, storeRing)).ToList();
            IReadOnlyList<FleetCommit> commits;
            using (var history = new FleetRepoHistory(EngineSession.RepoOptions(ws, "audit"), EngineSession.Credentials(ws)))
                commits = [.. (await history.ReadAsync(ct: ct)).Where(c => c.When >= from && c.Trailer(ChangeTrailers.Stack) is { } s
                    && (s == ws.Stack || s.StartsWith(ws.Stack + ".", StringComparison.Ordinal))
                    && (storeId is null || c.Trailer(ChangeTrailers.Ring) == storeRing || c.Changes.Any(ch => ch.Path.Contains($"/{storeId}", StringComparison.Ordinal))))
                    .Reverse()];

            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, new
                {
                    stack = ws.Stack,
                    intact = reading.Intact,
                    problems = reading.Problems,
                    entries = entries.Select(e => new
                    {
                        seq = e.Seq, time = e.Record.Time, actor = e.Record.Actor, action = e.Record.Action, ring = e.Record.Ring,
                        release = e.Record.Release, reason = e.Record.Reason, stores = e.Record.Stores, data = e.Record.Data, hash = e.Hash,
                    }),
                    commits = commits.Select(c => new
                    {
                        sha = c.Sha, time = c.When, subject = c.Subject, actor = c.Trailer(ChangeTrailers.Actor), ring = c.Trailer(ChangeTrailers.Ring),
                        release = c.Trailer(ChangeTrailers.Release), stores = c.Trailer(ChangeTrailers.Stores),
                    }),
                });
            }
            else
            {
                context.Out.WriteLine($"Audit of {ws.Stack}{(storeId is null ? "" : $", store {storeId} (ring {storeRing})")}: " +
                                      $"{entries.Count} decision(s) and observation(s), {commits.Count} fleet-repo commit(s)");
                foreach (var e in entries)
                {
                    var r = e.Record;
                    var stores = r.Stores is { Count: > 0 } s ? storeId is not null ? $" [{storeId}]" : $" [{s.Count} store(s): {string.Join(", ", s.Take(5))}{(s.Count > 5 ? ", …" : "")}]" : "";
                    context.Out.WriteLine($"  {Time(r.Time)}  #{e.Seq,-4} {r.Action,-13} {r.Ring ?? "-",-16} {r.Actor}  {r.Release ?? ""}  {r.Reason}{stores}");
                }
                if (commits.Count > 0) context.Out.WriteLine("Fleet-repo commits:");
                foreach (var c in commits)
                    context.Out.WriteLine($"  {Time(c.When)}  {c.Sha[..7]}  {c.Trailer(ChangeTrailers.Ring) ?? "-",-16} {c.Trailer(ChangeTrailers.Actor) ?? c.AuthorEmail}  " +
                                          $"{c.Trailer(ChangeTrailers.Release) ?? ""}  {c.Subject}");
            }
            if (reading.Intact) return ExitCodes.Success;
            context.Error.WriteLine($"error: the audit log of {ws.Stack} was tampered with ({reading.Problems.Count} problem(s)):");
            foreach (var p in reading.Problems) context.Error.WriteLine($"  - {p}");
            return ExitCodes.Failure;
        });
        return command;
    }

    private static bool Concerns(AuditRecord r, string? store, string? ring) =>
        store is null
        || r.Stores?.Contains(store) == true
        || (r.Ring == ring && r.Action != AuditActions.Observe)
        || (r.Ring is null && r.Action != AuditActions.Observe);

    private static DateTimeOffset Since(string? text, TimeProvider time)
    {
        if (text is null) return DateTimeOffset.MinValue;
        if (DurationText.TryParse(text, out var ago)) return time.GetUtcNow() - ago;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw new UsageException($"--since '{text}' is neither a time (2026-01-05T08:00Z) nor a duration ago (2h, 7d)");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
