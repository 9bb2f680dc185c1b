using EdgeInfra.Components.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EdgeInfra.Stacks.Inventory;

/// <summary>Reads a YAML inventory (<c>stores:</c> list of <c>id</c> + <c>labels</c>) with YamlDotNet's event parser.</summary>
/// <remarks>The event parser keeps per-store work to a few allocations: no node tree is built for 50,000 stores.</remarks>
internal static class YamlInventoryReader
{
    public static List<Store> Read(TextReader text, string file, List<string> problems)
    {
        var stores = new List<Store>();
        var factory = new StoreFactory();
        var parser = new Parser(text);
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
                        ReadStores(parser, file, factory, stores, problems);
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
                ReadStores(parser, file, factory, stores, problems);
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

    private static void ReadStores(IParser parser, string file, StoreFactory factory, List<Store> stores, List<string> problems)
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
            var location = new SourceLocation(file, line);
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
            if (labels.Exists(l => l.Key == name))
            {
                problems.Add($"{file}:{key.Start.Line}: label '{name}' is given twice");
                continue;
            }
            labels.Add(KeyValuePair.Create(name, factory.Intern(value.Value)));
        }
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
