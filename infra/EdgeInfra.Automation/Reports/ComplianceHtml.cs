using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeInfra.Automation.Reports;

/// <summary>Renders a <see cref="ComplianceReport"/> as one self-contained HTML document (inline styles, no script, no
/// external resource), laid out for print: the audit chain's verification on the first page, each release from a new
/// page, then every store's digest over the period.</summary>
public static class ComplianceHtml
{
    /// <summary>The page for screens and downloads: every store in its own row of one table.</summary>
    public static string Render(ComplianceReport report) => Render(report, forPdf: false);

    /// <summary>The page the PDF is printed from: the same evidence, the stores as <see cref="ComplianceStoreEntries"/>.</summary>
    public static string RenderForPdf(ComplianceReport report) => Render(report, forPdf: true);

    private static string Render(ComplianceReport report, bool forPdf)
    {
        var sb = new StringBuilder(64 * 1024 + report.Stores.Count * 256);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>Compliance evidence: {E(report.Stack)} {Day(report.From)} to {Day(report.To)}</title>");
        sb.Append("<style>").Append(Style).Append("</style></head><body>\n");

        sb.Append(CultureInfo.InvariantCulture, $"<h1>Compliance evidence: stack <code>{E(report.Stack)}</code></h1>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Period {Time(report.From)} to {Time(report.To)}; generated {Time(report.GeneratedAt)}.</p>\n");
        if (report.AuditIntact)
            sb.Append(CultureInfo.InvariantCulture,
                $"<p class=\"ok\" id=\"audit-chain\">Audit log verified: the hash chain of all {report.AuditEntries} entries is intact.</p>\n");
        else
        {
            sb.Append("<div class=\"bad\" id=\"audit-chain\"><p><strong>Audit log TAMPERED: the hash chain does not verify.</strong> ")
                .Append("Nothing below can be relied on.</p><ul>");
            foreach (var p in report.AuditProblems) sb.Append("<li>").Append(E(p)).Append("</li>");
            sb.Append("</ul></div>\n");
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"<p>{report.Releases.Count} release(s) rolled out; {report.Stores.Count} store(s), {report.Stores.Count(s => s.Segments.Count > 0)} observed in the period.</p>\n");

        foreach (var release in report.Releases) WriteRelease(sb, release);
        if (forPdf) ComplianceStoreEntries.Write(sb, report.Stores);
        else WriteStores(sb, report);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void WriteRelease(StringBuilder sb, ReleaseEvidence r)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<section class=\"release\"><h2>Release <code>{E(r.Release)}</code></h2>\n");
        sb.Append("<h3>Pinned images and signatures</h3>");
        if (r.Digests.Count == 0) sb.Append("<p>No digest was recorded (the release was not pinned).</p>");
        else
        {
            sb.Append("<table><tr><th>App</th><th>Digest</th><th>Signature</th></tr>");
            foreach (var (app, digest) in r.Digests)
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(app)}</td><td><code>{E(digest)}</code></td><td>{E(r.Signatures.GetValueOrDefault(app) ?? "not verified (the stack verifies no signature for this app)")}</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("<h3>Proposed</h3>");
        Table(sb, ["Time", "Ring", "Commit", "Actor", "Config commit"], r.Proposed.Select(p =>
            new[] { Time(p.Time), p.Ring ?? "-", Short(p.Commit), p.Actor, p.SourceCommit ?? "-" }));
        sb.Append("<h3>Approved</h3>");
        Table(sb, ["Time", "Actor", "Decision", "Ring", "Detail"], r.Approvals.Select(a =>
            new[] { Time(a.Time), a.Actor, a.Action, a.Ring ?? "-", (a.Reason ?? "") + (a.Stores.Count > 0 ? $" ({string.Join(", ", a.Stores)})" : "") }));
        sb.Append("<h3>Rings</h3>");
        foreach (var ring in r.Rings)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<h4>{E(ring.Ring)}</h4><p>Applied {(ring.AppliedAt is { } a ? Time(a) : "never")} (commit <code>{E(Short(ring.Commit))}</code>); " +
                $"{(ring.PromotedAt is { } p ? "promoted " + Time(p) : "not promoted")}.</p>");
            Table(sb, ["Time", "Verdict", "Gates and numbers"], ring.Verdicts.Select(v => new[] { Time(v.Time), v.Action, v.Reason }));
        }
        sb.Append("<h3>Rollbacks</h3>");
        Table(sb, ["Time", "Ring", "Actor", "Reason", "Commit"], r.Rollbacks.Select(b =>
            new[] { Time(b.Time), b.Ring, b.Actor, b.Reason, Short(b.Commit) }));
        sb.Append("</section>\n");
    }

    private static void WriteStores(StringBuilder sb, ComplianceReport report)
    {
        sb.Append("<section class=\"stores\"><h2>What each store ran</h2>\n");
        sb.Append("<p>From the store transitions the rollout host observed. A gap is a time the store was offline: what it ran then is not known.</p>\n");
        sb.Append("<table><tr><th>Store</th><th>Ring</th><th>Over the period</th></tr>\n");
        foreach (var store in report.Stores)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(store.Store)}</td><td>{E(store.Ring ?? "-")}</td><td>");
            if (store.Segments.Count == 0) sb.Append(NotObservedText);
            foreach (var s in store.Segments)
                sb.Append(s.Offline
                    ? $"<div class=\"gap\">{Span(s)}: {OfflineText}</div>"
                    : $"<div>{Span(s)}: <code>{E(Ran(s))}</code></div>");
            sb.Append("</td></tr>\n");
        }
        sb.Append("</table></section>\n");
    }

    private static void Table(StringBuilder sb, string[] head, IEnumerable<string[]> rows)
    {
        var any = false;
        foreach (var row in rows)
        {
            if (!any)
            {
                sb.Append("<table><tr>");
                foreach (var h in head) sb.Append("<th>").Append(E(h)).Append("</th>");
                sb.Append("</tr>");
                any = true;
            }
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(E(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append(any ? "</table>\n" : "<p>None.</p>\n");
    }

    internal const string NotObservedText = "not observed in the period";

    internal const string OfflineText = "offline (gap)";

    /// <summary>When a segment ran: <c>2026-11-07 06:42:00Z to 2026-11-19 06:47:00Z</c> (or <c>to end</c>).</summary>
    internal static string Span(StoreSegment s) => $"{Time(s.From)} to {(s.To is { } t ? Time(t) : "end")}";

    /// <summary>What a store ran in a segment that is not a gap: its pinned digests, else the release or the commit.</summary>
    internal static string Ran(StoreSegment s) => s.Digests ?? s.Release ?? Short(s.Commit);

    internal static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Short(string? sha) => sha is { Length: > 12 } ? sha[..12] : sha ?? "-";

    private const string Style =
        "@page{size:A4;margin:14mm}body{font:11px/1.4 system-ui,sans-serif;color:#111;max-width:60rem;margin:auto}" +
        "h1{font-size:20px}h2{font-size:16px;border-bottom:1px solid #999}h3{font-size:13px;margin:1em 0 .3em}h4{margin:.6em 0 .2em}" +
        "table{border-collapse:collapse;width:100%;margin:.3em 0}th,td{border:1px solid #bbb;padding:2px 4px;text-align:left;vertical-align:top}" +
        "code{font-size:10px;word-break:break-all}.ok{color:#064;font-weight:bold}.bad{color:#a00;border:2px solid #a00;padding:4px}" +
        ".gap{color:#a60}section{break-before:page}.stores td:nth-child(-n+2){white-space:nowrap}" + ComplianceStoreEntries.Style;
}
