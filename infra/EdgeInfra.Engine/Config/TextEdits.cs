using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>Line-preserving edits of a YAML text, so that <c>config set</c> keeps comments and layout it does not touch.</summary>
/// <remarks>Each plan returns false when the change cannot be expressed as a local edit; the caller then rewrites the file.
/// Callers also re-parse the edited text and compare it with the intended tree, so a wrong edit can never be written.</remarks>
internal sealed class TextEdits(string text)
{
    private readonly List<(int Start, int End, string Replacement)> _edits = [];

    public bool ReplaceScalar(YamlScalarNode old, YamlScalarNode replacement)
    {
        if (old.Style is not (ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
            || old.Start.Line != old.End.Line || old.End.Index <= old.Start.Index)
            return false;
        _edits.Add(((int)old.Start.Index, (int)old.End.Index, YamlWriter.Scalar(replacement)));
        return true;
    }

    /// <summary>Appends <paramref name="key"/>: <paramref name="value"/> after the last entry of a non-empty block mapping.</summary>
    public bool AppendEntry(YamlMappingNode mapping, YamlNode key, YamlNode value)
    {
        if (mapping.Style == MappingStyle.Flow || mapping.Children.Count == 0) return false;
        var (firstKey, _) = mapping.Children.First();
        var (_, lastValue) = mapping.Children.Last();
        var indent = (int)firstKey.Start.Column - 1;
        if (indent < 0 || IsFlow(lastValue) is null) return false;
        var at = EntryEnd(lastValue);
        var sb = new StringBuilder();
        if (at > 0 && text[at - 1] != '\n') sb.Append('\n');
        sb.Append(' ', indent).Append(key is YamlScalarNode ks ? YamlWriter.Scalar(ks) : key.ToString()).Append(':');
        YamlWriter.WriteValue(sb, value, indent);
        _edits.Add((at, at, sb.ToString()));
        return true;
    }

    /// <summary>Deletes a whole entry (its key line through the end of its value) from a block mapping.</summary>
    public bool RemoveEntry(YamlMappingNode mapping, YamlNode key, YamlNode value)
    {
        if (mapping.Style == MappingStyle.Flow || IsFlow(value) is null) return false;
        var start = LineStart((int)key.Start.Index);
        if (text.AsSpan(start, (int)key.Start.Index - start).Trim().Length > 0) return false;
        _edits.Add((start, EntryEnd(value), ""));
        return true;
    }

    public void InsertAtStart(string line) => _edits.Add((0, 0, line));

    public string Apply()
    {
        var sb = new StringBuilder(text);
        foreach (var (start, end, replacement) in _edits.OrderByDescending(e => e.Start))
        {
            sb.Remove(start, end - start);
            sb.Insert(start, replacement);
        }
        return sb.ToString();
    }

    /// <summary>True for values that end on their own line (scalars, flow collections), false for block collections, null if unknown.</summary>
    private static bool? IsFlow(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? true : null,
        YamlMappingNode m => m.Style == MappingStyle.Flow,
        YamlSequenceNode q => q.Style == SequenceStyle.Flow,
        _ => null,
    };

    private int EntryEnd(YamlNode value)
    {
        // A block collection ends with its last leaf; the entry ends with the line that leaf is on.
        switch (value)
        {
            case YamlMappingNode { Style: not MappingStyle.Flow, Children.Count: > 0 } m: return EntryEnd(m.Children.Last().Value);
            case YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 } q: return EntryEnd(q.Children[^1]);
        }
        var end = (int)Math.Min(value.End.Index, text.Length);
        var newline = text.IndexOf('\n', end);
        return newline < 0 ? text.Length : newline + 1;
    }

    private int LineStart(int index)
    {
        var nl = index == 0 ? -1 : text.LastIndexOf('\n', index - 1);
        return nl + 1;
    }
}
