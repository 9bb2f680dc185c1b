using System.CommandLine;
using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Components.Text;
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
            var from = Since(parse.GetValue(since), context.Time);
            var storeId = parse.GetValue(store);
            var report = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).AuditAsync(new AuditRequest(storeId, from), ct);
            var (entries, commits, storeRing) = (report.Entries, report.Commits, report.StoreRing);

            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, new
                {
                    stack = report.Stack,
                    intact = report.Intact,
                    problems = report.Problems,
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
                context.Out.WriteLine($"Audit of {report.Stack}{(storeId is null ? "" : $", store {storeId} (ring {storeRing})")}: " +
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
            if (report.Intact) return ExitCodes.Success;
            context.Error.WriteLine($"error: the audit log of {report.Stack} was tampered with ({report.Problems.Count} problem(s)):");
            foreach (var p in report.Problems) context.Error.WriteLine($"  - {p}");
            return ExitCodes.Failure;
        });
        return command;
    }

    private static DateTimeOffset? Since(string? text, TimeProvider time)
    {
        if (text is null) return null;
        if (DurationText.TryParse(text, out var ago)) return time.GetUtcNow() - ago;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw new UsageException($"--since '{text}' is neither a time (2026-01-05T08:00Z) nor a duration ago (2h, 7d)");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
