using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Rewrites the rollout-ring cells of a CSV inventory in place, leaving every other cell's text untouched.</summary>
/// <remarks>Scans the raw text (RFC 4180 quoting, <c>#</c> comment and blank lines skipped, as the reader does) to know
/// each cell's span; CsvHelper gives values, not positions.</remarks>
internal static class CsvRingWriter
{
    private readonly record struct Span(int Start, int End);

    private sealed record Row(List<Span> Cells, int End, int Line);

    public static string Apply(string text, string file, IReadOnlyDictionary<string, string> rings)
    {
        var rows = Scan(text);
        if (rows.Count == 0) return text;
        var header = rows[0].Cells.Select(c => Value(text, c)).ToList();
        var idColumn = header.IndexOf(CsvInventoryReader.IdColumn);
        if (idColumn < 0) throw new FleetModelException([$"{file}:{rows[0].Line}: the header has no '{CsvInventoryReader.IdColumn}' column"]);
        var ringColumn = header.IndexOf(StoreLabels.RolloutRing);
        var edits = new List<(int Index, int End, string Text)>();
        if (ringColumn < 0)
        {
            // A new column: every line gains one trailing cell, empty where the store already had its ring elsewhere.
            edits.Add((rows[0].End, rows[0].End, "," + StoreLabels.RolloutRing));
            foreach (var row in rows.Skip(1))
            {
                var id = idColumn < row.Cells.Count ? Value(text, row.Cells[idColumn]) : "";
                edits.Add((row.End, row.End, "," + (rings.TryGetValue(id, out var r) ? r : "")));
            }
        }
        else
        {
            foreach (var row in rows.Skip(1))
            {
                var id = idColumn < row.Cells.Count ? Value(text, row.Cells[idColumn]) : "";
                if (!rings.TryGetValue(id, out var ring)) continue;
                if (ringColumn < row.Cells.Count)
                    edits.Add((row.Cells[ringColumn].Start, row.Cells[ringColumn].End, ring));
                else
                    edits.Add((row.End, row.End, new string(',', ringColumn - row.Cells.Count + 1) + ring));
            }
        }
        return InventoryWriter.Splice(text, edits);
    }

    private static string Value(string text, Span cell)
    {
        var raw = text[cell.Start..cell.End].Trim();
        return raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1].Replace("\"\"", "\"") : raw;
    }

    /// <summary>Rows with their cell spans; <see cref="Row.End"/> is where the row's line break (or the text) ends.</summary>
    private static List<Row> Scan(string text)
    {
        var rows = new List<Row>();
        var i = 0;
        var line = 1;
        while (i < text.Length)
        {
            var lineEnd = text.IndexOf('\n', i);
            var rawLine = lineEnd < 0 ? text[i..] : text[i..lineEnd];
            if (rawLine.Trim().Length == 0 || rawLine.TrimStart().StartsWith('#'))
            {
                if (lineEnd < 0) break;
                i = lineEnd + 1;
                line++;
                continue;
            }
            var startLine = line;
            var cells = new List<Span>();
            var cellStart = i;
            var quoted = false;
            while (true)
            {
                if (i >= text.Length) { cells.Add(new(cellStart, i)); break; }
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') i++;
                    else if (c == '"') quoted = false;
                    else if (c == '\n') line++;
                }
                else if (c == '"') quoted = true;
                else if (c == ',') { cells.Add(new(cellStart, i)); cellStart = i + 1; }
                else if (c == '\n' || c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    cells.Add(new(cellStart, i));
                    break;
                }
                i++;
            }
            rows.Add(new Row(cells, i, startLine));
            if (i < text.Length && text[i] == '\r') i++;
            if (i < text.Length && text[i] == '\n') { i++; line++; }
        }
        return rows;
    }
}
