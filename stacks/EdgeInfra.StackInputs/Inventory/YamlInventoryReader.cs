using EdgeInfra.Engine.Yaml;
using EdgeInfra.Components.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Reads a YAML inventory (<c>stores:</c> list of <c>id</c> + <c>labels</c>) with YamlDotNet's event parser.</summary>
/// <remarks>The event parser keeps per-store work to a few allocations: no node tree is built for 50,000 stores.</remarks>
internal static class YamlInventoryReader
{
    /// <summary>Inventories above this size are parsed in chunks, one per core.</summary>
    private const int ParallelThreshold = 256 * 1024;

    public static List<Store> Read(string text, string file, List<string> problems)
    {
        if (text.Length >= ParallelThreshold && Environment.ProcessorCount > 1 && ReadParallel(text, file) is { } stores)
            return stores;
        return ReadSequential(text, file, problems);
    }

    /// <summary>Reads sequentially, whatever the size.</summary>
    public static List<Store> Read(TextReader text, string file, List<string> problems) => ReadSequential(text.ReadToEnd(), file, problems);

    private static List<Store> ReadSequential(string text, string file, List<string> problems)
    {
        var stores = new List<Store>();
        var factory = new StoreFactory();
        // A duplicate key (a second 'id' silently renaming a store, a label given twice) is reported where it is, and
        // reading goes on so every other problem of the file is reported too.
        var parser = YamlParsers.Open(text, (key, first) =>
            problems.Add($"{file}:{key.Start.Line}: duplicate key '{key.Value}' (first at line {first.Line}); the second would silently replace the first"));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return stores;
            parser.Consume<DocumentStart>();
            if (parser.TryConsume<MappingStart>(out var rootMap))
            {
                var found = false;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = parser.Consume<Scalar>();
                    if (key.Value == "stores" && parser.Accept<SequenceStart>(out _))
                    {
                        found = true;
                        ReadStores(parser, file, 0, factory, stores, problems);
                    }
                    else
                    {
                        problems.Add($"{file}:{key.Start.Line}: unknown top-level key '{key.Value}' (expected 'stores', a list)");
                        parser.SkipThisAndNestedEvents();
                    }
                }
                if (!found) problems.Add($"{file}:{rootMap.Start.Line}: no 'stores:' list");
            }
            else if (parser.Accept<SequenceStart>(out _))
            {
                ReadStores(parser, file, 0, factory, stores, problems);
            }
            else if (!parser.Accept<DocumentEnd>(out _))
            {
                var e = parser.Consume<ParsingEvent>();
                problems.Add($"{file}:{e.Start.Line}: an inventory is a 'stores:' list of stores");
            }
        }
        catch (YamlException e)
        {
            problems.Add($"{file}:{e.Start.Line}: YAML syntax error: {e.Message}");
        }
        return stores;
    }

    /// <summary>
    /// Splits a <c>stores:</c> list at item lines (<c>- </c> at the list's indentation) and parses the chunks in
    /// parallel, each as a list of its own. Null when the text does not have that plain shape or any chunk has a
    /// problem: the sequential read then gives the exact messages.
    /// </summary>
    internal static List<Store>? ReadParallel(string text, string file)
    {
        var starts = ItemChunks(text, Environment.ProcessorCount);
        if (starts is null) return null;
        var results = new List<Store>?[starts.Count - 1];
        Parallel.For(0, results.Length, i =>
        {
            var (from, line) = starts[i];
            var chunk = text[from..starts[i + 1].Index];
            var problems = new List<string>();
            var stores = new List<Store>();
            try
            {
                var parser = YamlParsers.Open(chunk, (_, _) => problems.Add("duplicate"));
                parser.Consume<StreamStart>();
                parser.Consume<DocumentStart>();
                ReadStores(parser, file, line - 1, new StoreFactory(), stores, problems);
                parser.Consume<DocumentEnd>();
            }
            catch (YamlException)
            {
                problems.Add("syntax");
            }
            results[i] = problems.Count == 0 ? stores : null;
        });
        if (results.Any(r => r is null)) return null;
        return results.SelectMany(r => r!).ToList();
    }

    /// <summary>Chunk starts (char index, 1-based line) at item lines, plus the end; null unless the text is one plain list.</summary>
    private static List<(int Index, int Line)>? ItemChunks(string text, int chunks)
    {
        var items = new List<(int Index, int Line)>();
        string? prefix = null;
        var line = 1;
        var seenStores = false;
        for (var i = 0; i < text.Length; line++)
        {
            var end = text.IndexOf('\n', i);
            if (end < 0) end = text.Length;
            var span = text.AsSpan(i, end - i);
            if (!seenStores)
            {
                if (span.TrimEnd().SequenceEqual("stores:")) seenStores = true;
                else if (span.Length > 0 && span[0] != '#' && !span.IsWhiteSpace()) return null;
            }
            else if (prefix is null)
            {
                var trimmed = span.TrimStart(' ');
                if (trimmed.StartsWith("- ")) { prefix = new string(' ', span.Length - trimmed.Length) + "- "; items.Add((i, line)); }
                else if (!trimmed.IsEmpty && trimmed[0] != '#') return null;
            }
            else if (span.StartsWith(prefix)) items.Add((i, line));
            else if (span.Length > 0 && span[0] is not (' ' or '#' or '\r')) return null;
            i = end + 1;
        }
        if (items.Count < chunks * 100) return null;
        var result = new List<(int, int)>();
        for (var c = 0; c < chunks; c++) result.Add(items[c * items.Count / chunks]);
        result.Add((text.Length, line));
        return result;
    }

    private static void ReadStores(IParser parser, string file, int lineOffset, StoreFactory factory, List<Store> stores, List<string> problems)
    {
        parser.Consume<SequenceStart>();
        var labels = new List<KeyValuePair<string, string>>(16);
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            if (!parser.TryConsume<MappingStart>(out var storeStart))
            {
                var e = parser.Consume<ParsingEvent>();
                problems.Add($"{file}:{e.Start.Line}: a store must be a mapping with 'id' and 'labels'");
                if (e is SequenceStart or MappingStart) SkipRest(parser);
                continue;
            }
            var line = (int)storeStart.Start.Line;
            string? id = null;
            labels.Clear();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                switch (key.Value)
                {
                    case "id" when parser.TryConsume<Scalar>(out var idValue):
                        id = idValue.Value;
                        line = (int)key.Start.Line;
                        break;
                    case "labels" when parser.TryConsume<MappingStart>(out _):
                        ReadLabels(parser, file, factory, labels, problems);
                        break;
                    case "labels" when parser.Accept<Scalar>(out var empty) && empty.Value.Length == 0:
                        parser.MoveNext();
                        break;
                    default:
                        problems.Add($"{file}:{key.Start.Line}: store field '{key.Value}' is unknown or not of the right shape (a store has 'id' and a 'labels' mapping)");
                        parser.SkipThisAndNestedEvents();
                        break;
                }
            }
            var location = new SourceLocation(file, line + lineOffset);
            if (string.IsNullOrEmpty(id))
            {
                problems.Add($"{location}: store has no 'id'");
                continue;
            }
            stores.Add(StoreFactory.Create(id, labels, location));
        }
    }

    private static void ReadLabels(IParser parser, string file, StoreFactory factory, List<KeyValuePair<string, string>> labels, List<string> problems)
    {
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>();
            if (!parser.TryConsume<Scalar>(out var value))
            {
                problems.Add($"{file}:{key.Start.Line}: label '{key.Value}' must have a single value");
                parser.SkipThisAndNestedEvents();
                continue;
            }
            var name = factory.Intern(key.Value);
            // The parser reported the duplicate; the first value is kept so nothing below reports it again.
            if (Contains(labels, name)) continue;
            labels.Add(KeyValuePair.Create(name, factory.Intern(value.Value)));
        }
    }

    private static bool Contains(List<KeyValuePair<string, string>> labels, string key)
    {
        foreach (var l in labels)
            if (l.Key == key) return true;
        return false;
    }

    /// <summary>Skips the rest of a collection whose start event was already consumed.</summary>
    private static void SkipRest(IParser parser)
    {
        var depth = 1;
        while (depth > 0)
        {
            var e = parser.Consume<ParsingEvent>();
            depth += e.NestingIncrease;
        }
    }
}
