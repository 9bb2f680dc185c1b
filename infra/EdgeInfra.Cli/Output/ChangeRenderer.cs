using EdgeInfra.Automation;
using EdgeInfra.Automation.Releases;
using Spectre.Console;

namespace EdgeInfra.Cli.Output;

/// <summary>Prints stack changes the way <c>pulumi preview</c> does: one line per change, symbols, then a summary.</summary>
internal static class ChangeRenderer
{
    public static void Write(IAnsiConsole console, StackChangeView view, bool dryRun, bool showDiff)
    {
        var what = view.Ring is null ? "hub files" : $"ring {view.Ring}, {view.Stores} stores";
        var releases = view.Releases.Count > 0 ? $"; {string.Join(", ", view.Releases)}" : "";
        console.MarkupLineInterpolated($"[bold]{(dryRun ? "Previewing update" : "Updating")} ({view.Stack})[/]: {what}{releases}");
        if (!view.HasChanges)
        {
            console.MarkupLineInterpolated($"    [grey]no changes; {view.Unchanged} unchanged[/]");
            console.WriteLine();
            return;
        }
        foreach (var row in view.Rows)
        {
            WriteRow(console, row, indent: 1);
            if (showDiff) WriteDiffs(console, row.Diffs, indent: 6);
            foreach (var child in row.Children)
            {
                if (!showDiff) continue;
                WriteRow(console, child, indent: 4);
                WriteDiffs(console, child.Diffs, indent: 8);
            }
        }
        console.WriteLine();
        console.MarkupLine("Resources:");
        foreach (var op in ChangeOps.Ordered)
            if (view.Counts.TryGetValue(op, out var n) && n > 0)
                console.MarkupLineInterpolated($"    [{ChangeOps.Color(op)}]{ChangeOps.Symbol(op),-2} {n} {ChangeOps.SummaryVerb(op)}[/]");
        var changes = view.Counts.Where(c => c.Key != ChangeOps.Same).Sum(c => c.Value);
        console.MarkupLineInterpolated($"    {changes} changes. {view.Unchanged} unchanged");
        console.WriteLine();
    }

    private static void WriteRow(IAnsiConsole console, ChangeRow row, int indent)
    {
        var info = row.OtherStack is null ? "" : row.Op == ChangeOps.Move ? $" from {row.OtherStack}" : $" to {row.OtherStack}";
        if (row.ReplaceReasons.Count > 0) info += $" [[replace: {string.Join(", ", row.ReplaceReasons)}]]";
        var showsChange = row.Op is ChangeOps.Update or ChangeOps.Replace or ChangeOps.Move;
        var changed = showsChange && row.Diffs.Count > 0 ? $" [[diff: {string.Join(" ", row.Diffs.Select(DiffMark))}]]" : "";
        var children = row.Children.Count > 0 ? $" ({row.Children.Count} parts)" : "";
        console.MarkupLine($"{new string(' ', indent)}[{ChangeOps.Color(row.Op)}]{Markup.Escape(ChangeOps.Symbol(row.Op)),-2} {Markup.Escape(row.Type),-28} {Markup.Escape(row.Name)}[/] {Markup.Escape(row.Op)}{Markup.Escape(info + changed + children)}");
    }

    private static string DiffMark(PropertyChange d) => d.Kind switch { "add" => "+", "delete" => "-", _ => "~" } + d.Key;

    /// <summary>Property diffs, one line each; multi-line values (rendered files) as a line diff with context.</summary>
    public static void WriteDiffs(IAnsiConsole console, IEnumerable<PropertyChange> diffs, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var d in diffs)
        {
            var multiline = (d.Old?.Contains('\n') ?? false) || (d.New?.Contains('\n') ?? false);
            if (!multiline)
            {
                var text = d.Kind switch
                {
                    "add" => $"[green]+ {Markup.Escape(d.Key)}: {Markup.Escape(d.New ?? "")}[/]",
                    "delete" => $"[red]- {Markup.Escape(d.Key)}: {Markup.Escape(d.Old ?? "")}[/]",
                    _ => $"[yellow]~ {Markup.Escape(d.Key)}: {Markup.Escape(d.Old ?? "")} => {Markup.Escape(d.New ?? "")}[/]",
                };
                console.MarkupLine(pad + text);
                continue;
            }
            console.MarkupLineInterpolated($"{pad}~ {d.Key}:");
            foreach (var line in UnifiedLines(d.Old ?? "", d.New ?? ""))
                console.MarkupLine(pad + "    " + line);
        }
    }

    /// <summary>The changed lines of a file with a little context, as markup.</summary>
    internal static IEnumerable<string> UnifiedLines(string oldText, string newText) =>
        LineDiff.Unified(oldText, newText).Select(line => line.Mark switch
        {
            '+' => $"[green]+ {Markup.Escape(line.Text)}[/]",
            '-' => $"[red]- {Markup.Escape(line.Text)}[/]",
            '.' => "[grey]...[/]",
            _ => $"[grey]  {Markup.Escape(line.Text)}[/]",
        });

    /// <summary>The closing lines across stacks: which rings change, and how many stores each touches.</summary>
    public static void WriteFleetSummary(IAnsiConsole console, IReadOnlyList<StackChangeView> views)
    {
        var changed = views.Where(v => v.HasChanges).ToList();
        if (changed.Count == 0)
        {
            console.MarkupLine("[green]No changes.[/] Every stack matches its desired state.");
            return;
        }
        foreach (var v in changed)
        {
            var reach = v.BundleChanges
                ? $"its bundles change, so Fleet rolls them out to all {v.StoresReached} stores of the ring"
                : $"{v.StoresChanged} stores change";
            var direct = v.BundleChanges && v.StoresChanged > 0 ? $" ({v.StoresChanged} with changes of their own)" : "";
            console.MarkupLineInterpolated($"[bold]{v.Stack}[/]: {(v.Ring is null ? "hub files change" : reach + direct)}");
        }
    }

    /// <summary>Release tags that moved in the registry since a ring was applied at them: both digests, so a reviewer
    /// sees that the same version now names other bytes.</summary>
    public static void WriteMovedTags(IAnsiConsole console, IReadOnlyList<MovedTag> moved)
    {
        foreach (var m in moved)
            console.MarkupLineInterpolated(
                $"[yellow]tag moved:[/] {m.Image} was {m.RecordedDigest} when ring {string.Join(", ", m.Rings)} was applied; it is now {m.Digest}");
    }
}
