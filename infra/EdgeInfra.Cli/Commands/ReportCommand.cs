using System.CommandLine;
using System.Globalization;
using EdgeInfra.Automation;
using EdgeInfra.Automation.Reports;
using EdgeInfra.Cli.Output;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra report</c>: the compliance evidence of a period, as self-contained HTML or as JSON. A tampered
/// audit log is said on the report's first page and exits 1.</summary>
internal static class ReportCommand
{
    private const string Html = "html";
    private const string Json = "json";
    private const string Pdf = "pdf";

    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var from = new Option<string?>("--from") { Description = "Start of the period: a date (2026-11-01, from 00:00Z) or a time; default 30 days before --to", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "End of the period: a date (2026-11-30, through 24:00Z) or a time; default now", HelpName = "DATE" };
        var format = new Option<string?>("--format")
        {
            Description = "html (default: one self-contained page, print-ready), json, or pdf (printed by headless chromium; needs --output)",
        };
        format.AcceptOnlyFromAmong(Html, Json, Pdf);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of stdout", HelpName = "FILE" };
        var command = new Command("report",
            "Compliance evidence of a period: the audit chain's verification, per release who proposed and approved it, its " +
            "pinned digests and signature checks, ring applies with gate verdicts, rollbacks, and every store's digest over time")
        {
            cwd, stack, from, to, format, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(format) == Pdf && parse.GetValue(output) is null)
                throw new UsageException("--format pdf writes a file: name it with --output FILE");
            var end = Parse(parse.GetValue(to), "--to", endOfDay: true) ?? context.Time.GetUtcNow();
            var start = Parse(parse.GetValue(from), "--from", endOfDay: false) ?? end - TimeSpan.FromDays(30);
            var report = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).ReportAsync(new ReportRequest(start, end), ct);
            var file = parse.GetValue(output);
            var chosen = parse.GetValue(format) ?? Html;
            if (chosen == Pdf) await ChromiumPrinter.PrintAsync(ComplianceHtml.RenderForPdf(report), file!, ct);
            else await using (var writer = file is null ? null : new StreamWriter(Path.GetFullPath(file)))
            {
                var target = (TextWriter?)writer ?? context.Out;
                if (chosen == Json) JsonOutput.Write(target, report);
                else await target.WriteAsync(ComplianceHtml.Render(report));
            }
            if (file is not null) context.Error.WriteLine($"Wrote the report of {report.Stack} ({report.Releases.Count} release(s), {report.Stores.Count} stores) to {file}.");
            if (report.AuditIntact) return ExitCodes.Success;
            context.Error.WriteLine($"error: the audit log of {report.Stack} is tampered: {string.Join("; ", report.AuditProblems)}");
            return ExitCodes.Failure;
        });
        return command;
    }

    private static DateTimeOffset? Parse(string? text, string option, bool endOfDay)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + (endOfDay ? TimeSpan.FromDays(1) : TimeSpan.Zero);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw new UsageException($"{option} '{text}' is neither a date (2026-11-30) nor a time (2026-11-30T08:00Z)");
    }
}
