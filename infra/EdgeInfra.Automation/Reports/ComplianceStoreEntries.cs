using System.Text;

namespace EdgeInfra.Automation.Reports;

/// <summary>Writes the "What each store ran" section of the page the PDF is printed from: one entry per distinct
/// timeline, each a short block of plain lines (who, then one line per segment), stores whose timelines are identical
/// sharing one entry that lists their ids.</summary>
/// <remarks>Chromium's print spends its time on layout objects and the fragments it paints, not on the amount of text:
/// the per-store table (a cell, a div and a code element per segment) of 2,500 stores over 30 days cost chromium 4.5–6 s
/// of CPU beyond its ~1.2 s start-up, the same evidence as one <c>pre</c> per entry ~1.2 s even with no two timelines
/// alike (docs/benchmarks.md, "Compliance report"). Grouping identical timelines (a ring's stores that were never offline) removes most entries
/// when the fleet was steady. Nothing is summarised away: every store id is printed, and under it each of its segments
/// with its digests or its gap, as text that a PDF search or pdftotext finds whole.</remarks>
internal static class ComplianceStoreEntries
{
    /// <summary>Characters per printed line: what an A4 page's 182 mm holds in an 8.5 px monospace font (0.6 em a glyph),
    /// with a few to spare.</summary>
    internal const int Width = 130;

    private const string Indent = "  ";

    /// <summary>Entries never split across pages, so a store's id and its timeline are read (and extracted) together; the
    /// text is wrapped here (<see cref="Wrap"/>) so chromium never breaks an id or a digest at its hyphens, which PDF
    /// readers and pdftotext join back without the hyphen.</summary>
    public const string Style = ".entry{font:8.5px/1.3 monospace;white-space:pre-wrap;margin:0 0 4px;break-inside:avoid}";

    public static void Write(StringBuilder sb, IReadOnlyList<StoreEvidence> stores)
    {
        sb.Append("<section class=\"stores\"><h2>What each store ran</h2>\n");
        sb.Append("<p>From the store transitions the rollout host observed. A gap is a time the store was offline: what it ran then is not known. ")
            .Append("Stores of one ring whose timelines over the period are identical share one entry listing their ids.</p>\n");
        foreach (var entry in Entries(stores))
        {
            sb.Append("<pre class=\"entry\">");
            var who = entry.Stores.Count == 1
                ? $"Store {entry.Stores[0]}, ring {entry.Ring ?? "none"}:"
                : $"Stores ({entry.Stores.Count}), ring {entry.Ring ?? "none"}: {string.Join(", ", entry.Stores)}";
            Wrap(sb, who, "");
            foreach (var line in entry.Lines) Wrap(sb.Append('\n'), line, Indent);
            sb.Append("</pre>\n");
        }
        sb.Append("</section>\n");
    }

    /// <summary>Appends <paramref name="text"/> (HTML-encoded) broken at spaces into lines of at most <see cref="Width"/>
    /// characters, each starting with <paramref name="indent"/> and continuation lines with two more spaces. A word longer
    /// than a line keeps a line of its own.</summary>
    internal static void Wrap(StringBuilder sb, string text, string indent)
    {
        var column = -1;
        foreach (var word in text.Split(' '))
        {
            if (column < 0) { sb.Append(indent); column = indent.Length; }
            else if (column + 1 + word.Length > Width) { sb.Append('\n').Append(indent).Append(Indent); column = indent.Length + Indent.Length; }
            else { sb.Append(' '); column++; }
            sb.Append(ComplianceHtml.E(word));
            column += word.Length;
        }
    }

    /// <summary>The stores grouped by ring and timeline, in the order of each group's first store.</summary>
    internal static IReadOnlyList<StoreEntry> Entries(IReadOnlyList<StoreEvidence> stores)
    {
        var entries = new List<StoreEntry>();
        var byTimeline = new Dictionary<(string?, string), StoreEntry>();
        foreach (var store in stores)
        {
            var lines = Lines(store);
            var key = (store.Ring, string.Join('\n', lines));
            if (!byTimeline.TryGetValue(key, out var entry))
            {
                entry = new StoreEntry(store.Ring, lines, []);
                byTimeline.Add(key, entry);
                entries.Add(entry);
            }
            entry.Stores.Add(store.Store);
        }
        return entries;
    }

    /// <summary>A store's segments as the lines printed under its id: the same words as the HTML table's cell.</summary>
    internal static IReadOnlyList<string> Lines(StoreEvidence store) => store.Segments.Count == 0
        ? [ComplianceHtml.NotObservedText]
        : [.. store.Segments.Select(s => $"{ComplianceHtml.Span(s)}: {(s.Offline ? ComplianceHtml.OfflineText : ComplianceHtml.Ran(s))}")];

    /// <summary>One printed entry: the stores (one or more, of one ring) that share these timeline lines.</summary>
    internal sealed record StoreEntry(string? Ring, IReadOnlyList<string> Lines, List<string> Stores);
}
