using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace EdgeInfra.Automation;

/// <summary>One line of a unified diff: <c>+</c> inserted, <c>-</c> deleted, <c>' '</c> context, or a gap (<c>...</c>).</summary>
internal readonly record struct DiffLine(char Mark, string Text)
{
    public bool IsGap => Mark == '.';
}

/// <summary>The changed lines of a rendered file with a little context, for every printer of a preview (DiffPlex does
/// the line diff).</summary>
internal static class LineDiff
{
    private const int ContextLines = 2;

    public static IEnumerable<DiffLine> Unified(string oldText, string newText)
    {
        var lines = InlineDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false).Lines;
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type is ChangeType.Unchanged) continue;
            for (var j = Math.Max(0, i - ContextLines); j <= Math.Min(lines.Count - 1, i + ContextLines); j++) keep[j] = true;
        }
        var gap = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!keep[i]) { gap = true; continue; }
            if (gap) { yield return new DiffLine('.', "..."); gap = false; }
            yield return new DiffLine(lines[i].Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }, lines[i].Text);
        }
    }
}
