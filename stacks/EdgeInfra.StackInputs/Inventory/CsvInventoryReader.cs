using CsvHelper;
using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Reads a CSV inventory: a header of <c>id</c> plus one column per label, one row a store; an empty cell is no label.</summary>
internal static class CsvInventoryReader
{
    public const string IdColumn = "id";

    /// <summary>Comments start with <c>#</c>, blank lines are skipped, cells are trimmed.</summary>
    public static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        CommentPrefix = '#',
        SkipEmptyLines = true,
        TrimWhitespace = true,
        TrackLineNumbers = true,
        PoolStrings = true,
    };

    public static List<Store> Read(TextReader text, string file, List<string> problems)
    {
        var stores = new List<Store>();
        var factory = new StoreFactory();
        try
        {
            using var csv = CsvReader.Create(text, Options, leaveOpen: true);
            var header = csv.Headers.ToArray();
            if (header.Length == 0) return stores;
            var idColumn = Array.IndexOf(header, IdColumn);
            if (idColumn < 0)
            {
                problems.Add($"{file}:1: the header has no '{IdColumn}' column");
                return stores;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var keys = new string?[header.Length];
            for (var c = 0; c < header.Length; c++)
            {
                if (seen.Add(header[c])) keys[c] = factory.Intern(header[c]);
                else problems.Add($"{file}:1: column '{header[c]}' appears twice");
            }

            var labels = new List<KeyValuePair<string, string>>(header.Length);
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                var count = csv.FieldCount;
                if (count != header.Length)
                    problems.Add($"{file}:{line}: row has {count} cells, the header has {header.Length}");
                var id = idColumn < count ? csv.GetString(idColumn) : "";
                if (id.Length == 0)
                {
                    problems.Add($"{file}:{line}: store has no '{IdColumn}'");
                    continue;
                }
                labels.Clear();
                for (var c = 0; c < count && c < keys.Length; c++)
                {
                    if (c == idColumn || keys[c] is not { } key) continue;
                    var value = csv.GetString(c);
                    if (value.Length > 0) labels.Add(KeyValuePair.Create(key, factory.Intern(value)));
                }
                stores.Add(StoreFactory.Create(id, labels, new SourceLocation(file, line)));
            }
        }
        catch (CsvFormatException e)
        {
            problems.Add($"{file}: CSV syntax error: {e.Message}");
        }
        return stores;
    }
}
