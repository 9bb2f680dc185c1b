using EdgeInfra.Engine.Yaml;
using System.Text;
using EdgeInfra.Components.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Writes rollout-ring labels into an inventory file, changing only those lines (YAML) or cells (CSV).</summary>
/// <remarks>Everything else (comments, order, quoting, other labels) stays byte for byte, so the review diff shows
/// only the assignment.</remarks>
public static class InventoryWriter
{
    /// <param name="displayName">The file name used in problems.</param>
    /// <param name="rings">Store id → ring to write.</param>
    public static void WriteRings(string path, string displayName, IReadOnlyDictionary<string, string> rings)
    {
        var text = File.ReadAllText(path);
        var updated = InventoryReader.IsCsv(path) ? CsvRingWriter.Apply(text, displayName, rings) : ApplyYaml(text, displayName, rings);
        var temp = path + ".tmp";
        File.WriteAllText(temp, updated, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    private sealed record Edit(long Index, long End, string Text);

    /// <summary>Rewrites the YAML text: a store's existing rollout-ring value is replaced; a missing one is added as the last label.</summary>
    internal static string ApplyYaml(string text, string file, IReadOnlyDictionary<string, string> rings)
    {
        var edits = new List<Edit>();
        var problems = new List<string>();
        var parser = YamlParsers.Open(text);
        parser.Consume<StreamStart>();
        if (parser.TryConsume<DocumentStart>(out _))
        {
            if (parser.TryConsume<MappingStart>(out _))
            {
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = parser.Consume<Scalar>();
                    if (key.Value == "stores" && parser.Accept<SequenceStart>(out _)) Stores(parser, text, file, rings, edits, problems);
                    else parser.SkipThisAndNestedEvents();
                }
            }
            else if (parser.Accept<SequenceStart>(out _))
            {
                Stores(parser, text, file, rings, edits, problems);
            }
        }
        if (problems.Count > 0) throw new FleetModelException(problems);

        return Splice(text, edits.Select(e => ((int)e.Index, (int)e.End, e.Text)));
    }

    /// <summary>Applies non-overlapping replacements in one forward pass (inserting into the middle per edit is quadratic).</summary>
    internal static string Splice(string text, IEnumerable<(int Index, int End, string Text)> edits)
    {
        var sb = new StringBuilder(text.Length + 64);
        var at = 0;
        foreach (var (index, end, insert) in edits.OrderBy(e => e.Index))
        {
            sb.Append(text, at, index - at).Append(insert);
            at = end;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    private sealed class LabelsSeen
    {
        public MappingStart? Start;
        public MappingEnd? End;
        public Scalar? FirstKey, LastValue, RingValue;
    }

    private static void Stores(IParser parser, string text, string file, IReadOnlyDictionary<string, string> rings,
        List<Edit> edits, List<string> problems)
    {
        parser.Consume<SequenceStart>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            if (!parser.TryConsume<MappingStart>(out var store))
            {
                parser.SkipThisAndNestedEvents();
                continue;
            }
            string? id = null;
            var labels = new LabelsSeen();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                if (key.Value == "id" && parser.TryConsume<Scalar>(out var idValue)) id = idValue.Value;
                else if (key.Value == "labels" && parser.TryConsume<MappingStart>(out var start)) Labels(parser, start, labels);
                else parser.SkipThisAndNestedEvents();
            }
            if (id is null || !rings.TryGetValue(id, out var ring)) continue;
            var edit = RingEdit(text, ring, labels);
            if (edit is null) problems.Add($"{file}:{store.Start.Line}: store '{id}' has no 'labels' mapping to add rollout-ring to");
            else edits.Add(edit);
        }
    }

    private static void Labels(IParser parser, MappingStart start, LabelsSeen seen)
    {
        seen.Start = start;
        while (true)
        {
            if (parser.TryConsume<MappingEnd>(out var end))
            {
                seen.End = end;
                return;
            }
            var key = parser.Consume<Scalar>();
            seen.FirstKey ??= key;
            if (parser.TryConsume<Scalar>(out var value))
            {
                seen.LastValue = value;
                if (key.Value == StoreLabels.RolloutRing) seen.RingValue = value;
            }
            else parser.SkipThisAndNestedEvents();
        }
    }

    private static Edit? RingEdit(string text, string ring, LabelsSeen seen)
    {
        var (ringValue, lastValue, firstKey, labels, labelsEnd) = (seen.RingValue, seen.LastValue, seen.FirstKey, seen.Start, seen.End);
        if (ringValue is not null) return new Edit(ringValue.Start.Index, ringValue.End.Index, ring);
        if (labels is null) return null;
        if (labels.Style == MappingStyle.Flow)
        {
            return lastValue is null
                ? new Edit(labelsEnd!.Start.Index, labelsEnd.Start.Index, $"{StoreLabels.RolloutRing}: {ring}")
                : new Edit(lastValue.End.Index, lastValue.End.Index, $", {StoreLabels.RolloutRing}: {ring}");
        }
        if (lastValue is null || firstKey is null) return null;
        var indent = firstKey.Start.Index - LineStart(text, (int)firstKey.Start.Index);
        var lineEnd = text.IndexOf('\n', (int)lastValue.End.Index);
        var line = new string(' ', (int)indent) + $"{StoreLabels.RolloutRing}: {ring}";
        return lineEnd < 0
            ? new Edit(text.Length, text.Length, "\n" + line + "\n")
            : new Edit(lineEnd + 1, lineEnd + 1, line + NewLine(text, lineEnd));
    }

    private static int LineStart(string text, int index) => text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;

    private static string NewLine(string text, int lineEnd) => lineEnd > 0 && text[lineEnd - 1] == '\r' ? "\r\n" : "\n";
}
