using System.Globalization;
using System.Text;
using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Automation;

/// <summary>Writes a preview as one pull-request comment: a summary per ring, the rollout estimate, expiring overrides,
/// lint, and the full diff in a collapsed section, within GitHub's comment limit.</summary>
/// <remarks>When the whole comment would not fit, rows are dropped from the end of the diff (never from the summary) and
/// the comment says how many and how to see them all. The diff is rendered row by row only while it fits, so a
/// 10,000-store change costs no more than the part that is shown.</remarks>
public static class MarkdownPreview
{
    /// <summary>GitHub's limit on a comment's body, in characters.</summary>
    public const int CommentLimit = 65_536;

    private const int ListedAtMost = 20;

    /// <summary>The hidden first line CI looks for to update the stack's comment instead of adding another.</summary>
    public static string Marker(string stack) => $"<!-- edgeinfra-preview:{stack} -->";

    /// <param name="limit">The most characters the comment may have (GitHub's limit unless a test asks for less).</param>
    public static string Render(StackPreview preview, int limit = CommentLimit)
    {
        var summary = Summary(preview);
        var changed = preview.Stacks.Where(s => s.HasChanges).ToList();
        if (changed.Count == 0) return summary;
        var total = changed.Sum(v => v.Rows.Sum(Resources));
        const string close = "</details>\n";
        var sb = new StringBuilder(summary, Math.Min(limit, summary.Length + 4096));
        sb.Append(CultureInfo.InvariantCulture, $"<details><summary>Full diff: {total} changed resources</summary>\n\n");
        var cutNotice = CutNotice(preview.Stack, total);
        var room = limit - close.Length - cutNotice.Length;
        var shown = 0;
        foreach (var view in changed)
        {
            var head = $"#### `{view.Stack}`\n\n```diff\n";
            const string fenceEnd = "```\n\n";
            if (sb.Length + head.Length + fenceEnd.Length > room) break;
            sb.Append(head);
            var rowsShown = 0;
            foreach (var row in view.Rows)
            {
                var block = RowBlock(row);
                if (sb.Length + block.Length + fenceEnd.Length > room) break;
                sb.Append(block);
                shown += Resources(row);
                rowsShown++;
            }
            sb.Append(fenceEnd);
            if (rowsShown < view.Rows.Count) break;
        }
        if (shown < total) sb.Append(CutNotice(preview.Stack, total - shown));
        return sb.Append(close).ToString();
    }

    /// <summary>The resources a row stands for: a store row made up only to hold its children is not one.</summary>
    private static int Resources(ChangeRow row) => (row.Urn.Length > 0 ? 1 : 0) + row.Children.Count;

    private static string CutNotice(string stack, int notShown) =>
        $"… {notShown} more resources not shown (the comment stays under GitHub's {CommentLimit:N0}-character limit); " +
        $"run `edgeinfra preview --stack {stack} --diff` for all.\n\n";

    private static string Summary(StackPreview preview)
    {
        var sb = new StringBuilder();
        sb.Append(Marker(preview.Stack)).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"## EdgeInfra preview: `{preview.Stack}`\n\n");
        var changed = preview.Stacks.Where(s => s.HasChanges).ToList();
        var facts = preview.Facts;
        if (changed.Count == 0) sb.Append("**No changes.** Every stack matches its desired state.\n\n");
        else
        {
            var changes = changed.Sum(v => v.Counts.Where(c => c.Key != ChangeOps.Same).Sum(c => c.Value));
            var releases = changed.SelectMany(v => v.Releases).Distinct(StringComparer.Ordinal).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"**{changes} resource changes** in {changed.Count} of {preview.Stacks.Count} stacks");
            if (facts is not null) sb.Append(CultureInfo.InvariantCulture, $"; {facts.Rings.Sum(r => r.StoresReached)} stores reached");
            sb.Append(".\n");
            if (releases.Count > 0) sb.Append("Releases: ").AppendJoin(", ", releases.Select(r => $"`{r}`")).Append('\n');
            sb.Append('\n');
            WriteMovedTags(sb, preview.MovedTags);
            WriteChanges(sb, changed, facts);
        }
        if (facts is null) return sb.ToString();
        WriteEstimate(sb, facts);
        WriteExpiring(sb, facts);
        WriteLint(sb, facts);
        return sb.ToString();
    }

    /// <summary>A tag that now names other bytes than a ring runs: a reviewer must see both digests.</summary>
    private static void WriteMovedTags(StringBuilder sb, IReadOnlyList<Releases.MovedTag> moved)
    {
        if (moved.Count == 0) return;
        sb.Append("**Release tags moved in the registry since they were applied:**\n\n");
        foreach (var m in moved)
            sb.Append(CultureInfo.InvariantCulture,
                $"- {Code(m.Image)}: {Code(m.RecordedDigest)} when ring {string.Join(", ", m.Rings.Select(Code))} was applied, now {Code(m.Digest)}\n");
        sb.Append('\n');
    }

    private static void WriteChanges(StringBuilder sb, IReadOnlyList<StackChangeView> changed, PreviewFacts? facts)
    {
        sb.Append("| Stack | Stores reached | Regions | Create | Update | Replace | Move in / out | Delete |\n");
        sb.Append("|---|---|---|--:|--:|--:|--:|--:|\n");
        foreach (var v in changed)
        {
            var reach = facts?.Rings.FirstOrDefault(r => r.Stack == v.Stack);
            var stores = v.Ring is null ? "hub files" : reach is null ? v.StoresReached.ToString(CultureInfo.InvariantCulture)
                : reach.StoreIds.Count > 0 ? $"{reach.StoresReached}: {string.Join(", ", reach.StoreIds.Select(Code))}"
                : reach.StoresReached.ToString(CultureInfo.InvariantCulture);
            var regions = reach is null ? "" : string.Join(", ", reach.Regions.Select(r => $"{Cell(r.Key)} {r.Value}"));
            int N(string op) => v.Counts.GetValueOrDefault(op);
            sb.Append(CultureInfo.InvariantCulture,
                $"| `{v.Stack}` | {stores} | {regions} | {N(ChangeOps.Create)} | {N(ChangeOps.Update)} | {N(ChangeOps.Replace)} | {N(ChangeOps.Move)} / {N(ChangeOps.MoveOut)} | {N(ChangeOps.Delete)} |\n");
        }
        sb.Append('\n');
    }

    private static void WriteEstimate(StringBuilder sb, PreviewFacts facts)
    {
        if (facts.Rings.Count == 0) return;
        sb.Append("### Rollout estimate\n\n");
        sb.Append("| Ring | Change class | Starts after | Stores waiting for their window | Longest wait | Bake | Ring time |\n");
        sb.Append("|---|---|--:|--:|--:|--:|--:|\n");
        foreach (var r in facts.Rings)
            sb.Append(CultureInfo.InvariantCulture,
                $"| `{r.Ring}` | {r.ChangeClass ?? "stores only"} | {Durations.Format(r.StartsAfter)} | {r.WindowWaits} of {r.StoresReached} | {Durations.Format(r.LongestWindowWait)} | {Durations.Format(r.Bake)} | {Durations.Format(r.Duration)} |\n");
        var end = facts.Rings[^1];
        sb.Append(CultureInfo.InvariantCulture, $"\nAbout **{Durations.Format(end.StartsAfter + end.Duration)}** in all. ");
        sb.Append(CultureInfo.InvariantCulture, $"This is an estimate, not a rehearsal: rings are taken in order from now ({facts.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC); ");
        sb.Append("each takes the longest wait until a reached store's maintenance window admits the change (for a `next-window` or ")
            .Append("stricter change to a ring that already runs a release), plus one gate interval (")
            .Append(Durations.Format(facts.GateInterval))
            .Append(") to see it ready, plus its bake. Fleet's apply time and metric gates are not modelled; `edgeinfra rehearse` ")
            .Append("simulates the rollout store by store.\n\n");
    }

    private static void WriteExpiring(StringBuilder sb, PreviewFacts facts)
    {
        sb.Append(CultureInfo.InvariantCulture, $"### Overrides expiring within {PreviewFacts.ExpiryHorizonDays} days\n\n");
        if (facts.Expiring.Count == 0)
        {
            sb.Append("None.\n\n");
            return;
        }
        sb.Append("| Override | App | Applies to | Owner | Expires |\n|---|---|---|---|---|\n");
        foreach (var o in facts.Expiring.Take(ListedAtMost))
        {
            var to = o.Match is null ? o.Scope : $"{o.Scope} {Code(o.Match)}";
            var left = o.DaysLeft switch { 0 => "today", 1 => "in 1 day", var d => $"in {d} days" };
            sb.Append(CultureInfo.InvariantCulture, $"| {Code(o.Name)} | {Code(o.App)} | {to} | {Cell(o.Owner)} | {o.Expires:yyyy-MM-dd} ({left}) |\n");
        }
        if (facts.Expiring.Count > ListedAtMost) sb.Append(CultureInfo.InvariantCulture, $"\n… and {facts.Expiring.Count - ListedAtMost} more.\n");
        sb.Append('\n');
    }

    private static void WriteLint(StringBuilder sb, PreviewFacts facts)
    {
        sb.Append("### Lint\n\n");
        sb.Append("No findings: every rendered ring passed Fleet's schemas and fleet lint (a finding refuses the preview, and the refusal with every finding takes the place of this comment).\n");
        if (facts.Warnings.Count > 0)
        {
            sb.Append("\nWarnings:\n\n");
            foreach (var w in facts.Warnings.Take(ListedAtMost)) sb.Append("- ").Append(Cell(w)).Append('\n');
            if (facts.Warnings.Count > ListedAtMost) sb.Append(CultureInfo.InvariantCulture, $"- … and {facts.Warnings.Count - ListedAtMost} more\n");
        }
        sb.Append('\n');
    }

    /// <summary>One row (and its folded children) as diff lines: the change mark first, so GitHub colours the line.</summary>
    private static string RowBlock(ChangeRow row)
    {
        var sb = new StringBuilder();
        AppendRow(sb, row, "");
        foreach (var child in row.Children) AppendRow(sb, child, "  ");
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, ChangeRow row, string indent)
    {
        var info = row.OtherStack is null ? "" : row.Op == ChangeOps.Move ? $" from {row.OtherStack}" : $" to {row.OtherStack}";
        if (row.ReplaceReasons.Count > 0) info += $" [replace: {string.Join(", ", row.ReplaceReasons)}]";
        sb.Append(CultureInfo.InvariantCulture, $"{ChangeOps.Symbol(row.Op),-2} {indent}{row.Type} {row.Name} {row.Op}{info}\n");
        foreach (var d in row.Diffs)
        {
            var multiline = (d.Old?.Contains('\n') ?? false) || (d.New?.Contains('\n') ?? false);
            if (!multiline)
            {
                sb.Append(d.Kind switch
                {
                    "add" => $"+     {indent}{d.Key}: {OneLine(d.New)}\n",
                    "delete" => $"-     {indent}{d.Key}: {OneLine(d.Old)}\n",
                    _ => $"~     {indent}{d.Key}: {OneLine(d.Old)} => {OneLine(d.New)}\n",
                });
                continue;
            }
            sb.Append(CultureInfo.InvariantCulture, $"~     {indent}{d.Key}:\n");
            foreach (var line in LineDiff.Unified(d.Old ?? "", d.New ?? ""))
                sb.Append(line.IsGap ? ' ' : line.Mark).Append("         ").Append(indent).Append(line.IsGap ? "..." : line.Text).Append('\n');
        }
    }

    private static string OneLine(string? value) => (value ?? "").ReplaceLineEndings(" ");

    private static string Code(string text) => $"`{text.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)}`";

    /// <summary>Text safe inside a table cell or list item: no pipes, tags or line breaks.</summary>
    private static string Cell(string text) => text.ReplaceLineEndings(" ")
        .Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
