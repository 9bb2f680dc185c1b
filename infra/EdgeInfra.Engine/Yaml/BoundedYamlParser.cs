using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EdgeInfra.Engine.Yaml;

/// <summary>A YamlDotNet <see cref="IParser"/> that refuses what a hand-edited file must not hold: duplicate mapping keys,
/// aliases that expand beyond a bound or refer to their own node, and megabyte scalars.</summary>
/// <remarks>
/// YamlDotNet has no option for any of these: its event parser passes duplicate keys through (the last one wins in most
/// readers), and a node tree shares aliased nodes, so a few hundred bytes of nested aliases ("billion laughs") only blow
/// up once something walks the tree, and a self-referencing alias makes that walk recurse until the stack overflows.
/// Every refusal is a <see cref="YamlException"/> at the offending event, so callers report it with file:line like any
/// syntax error. Every YAML file EdgeInfra reads goes through here (see <see cref="YamlParsers.Open"/>).
/// </remarks>
public sealed partial class BoundedYamlParser : IParser
{
    /// <summary>At most this many alias uses per document.</summary>
    public const int MaxAliases = 1_000;

    /// <summary>At most this many nodes added by expanding every alias of a document.</summary>
    public const int MaxAliasExpansion = 10_000;

    /// <summary>At most this many aliases nested inside each other's anchored nodes.</summary>
    public const int MaxAliasDepth = 4;

    /// <summary>At most this many characters in one scalar (a key, a label, a version, a value).</summary>
    public const int MaxScalarLength = 64 * 1024;

    private readonly IParser _inner;
    private readonly Stack<Frame> _open = new();
    private readonly Dictionary<string, (long Size, int Depth)> _anchors = new(StringComparer.Ordinal);
    private int _aliases;
    private long _expansion;

    private readonly string? _text;
    private readonly Action<Scalar, Mark>? _onDuplicateKey;
    private Mark _last = Mark.Empty;

    /// <param name="text">The whole text, when the caller has it: it places the few YamlDotNet errors that carry no position.</param>
    /// <param name="onDuplicateKey">Called with the second key and where the first one was, for a reader that reports
    /// the duplicate and goes on to find every other problem; null throws at the duplicate.</param>
    public BoundedYamlParser(IParser inner, string? text = null, Action<Scalar, Mark>? onDuplicateKey = null)
    {
        _inner = inner;
        _text = text;
        _onDuplicateKey = onDuplicateKey;
    }

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        bool moved;
        try
        {
            moved = _inner.MoveNext();
        }
        catch (YamlException e) when (e.Start.Line < _last.Line)
        {
            // Some scanner errors carry no position (a tab used as indentation reports line 1): the error lies at or
            // after the last event the parser produced.
            var at = Locate(e.Message);
            throw new YamlException(at, at, Unprefixed(e.Message), e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some unclosed flow collections ("[a, b" at the end of a line).
            throw new YamlException(_last, _last, "syntax error after this point (an unclosed '[', '{' or quote?)", e);
        }
        if (!moved) return false;
        _last = _inner.Current!.Start;
        Check(_inner.Current!);
        return true;
    }

    private Mark Locate(string message)
    {
        if (_text is null || !message.Contains("tab", StringComparison.OrdinalIgnoreCase)) return _last;
        var lines = _text.Split('\n');
        for (var i = (int)_last.Line - 1; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            if (lines[i].AsSpan(0, indent).Contains('\t')) return new Mark(0, i + 1, lines[i].IndexOf('\t') + 1);
        }
        return _last;
    }

    /// <summary>The message without YamlDotNet's "(Line: …) - (Line: …): " prefix; the new exception adds its own.</summary>
    public static string Unprefixed(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: [^)]*\) - \(Line: [^)]*\): ")]
    private static partial Regex PositionPrefix();

    private void Check(ParsingEvent e)
    {
        switch (e)
        {
            case DocumentStart:
                _anchors.Clear();
                _open.Clear();
                _aliases = 0;
                _expansion = 0;
                break;
            case Scalar s:
                if (s.Value.Length > MaxScalarLength)
                    throw new YamlException(s.Start, s.End, $"a value of {s.Value.Length:N0} characters is longer than the {MaxScalarLength:N0} allowed");
                CheckKey(s);
                Completed(1, 0, s.Anchor);
                break;
            case AnchorAlias a:
                Completed(Alias(a), _anchors[a.Value.Value].Depth + 1, AnchorName.Empty);
                break;
            case MappingStart m:
                _open.Push(new Frame(m.Anchor, isMapping: true));
                break;
            case SequenceStart q:
                _open.Push(new Frame(q.Anchor, isMapping: false));
                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                var done = _open.Pop();
                Completed(done.Size + 1, done.Depth, done.Anchor);
                break;
        }
    }

    private long Alias(AnchorAlias a)
    {
        var name = a.Value.Value;
        if (_open.Any(f => !f.Anchor.IsEmpty && f.Anchor.Value == name))
            throw new YamlException(a.Start, a.End, $"alias *{name} refers to the node that contains it (a cycle)");
        if (!_anchors.TryGetValue(name, out var anchored))
            throw new YamlException(a.Start, a.End, $"alias *{name} refers to no anchor &{name} before it");
        if (++_aliases > MaxAliases)
            throw new YamlException(a.Start, a.End, $"more than {MaxAliases:N0} aliases in one document");
        if (anchored.Depth + 1 > MaxAliasDepth)
            throw new YamlException(a.Start, a.End, $"alias *{name} nests aliases {anchored.Depth + 1} deep; at most {MaxAliasDepth} are allowed");
        _expansion += anchored.Size;
        if (_expansion > MaxAliasExpansion)
            throw new YamlException(a.Start, a.End, $"aliases expand to more than {MaxAliasExpansion:N0} nodes (an alias bomb?)");
        return anchored.Size;
    }

    private void CheckKey(Scalar key)
    {
        if (!_open.TryPeek(out var parent) || !parent.IsMapping || !parent.ExpectingKey) return;
        parent.Keys ??= new Dictionary<string, Mark>(StringComparer.Ordinal);
        if (parent.Keys.TryAdd(key.Value, key.Start)) return;
        if (_onDuplicateKey is null)
            throw new YamlException(key.Start, key.End, $"duplicate key '{key.Value}' (first at line {parent.Keys[key.Value].Line})");
        _onDuplicateKey(key, parent.Keys[key.Value]);
    }

    private void Completed(long size, int depth, AnchorName anchor)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = (size, depth);
        if (!_open.TryPeek(out var parent)) return;
        parent.Size += size;
        parent.Depth = Math.Max(parent.Depth, depth);
        if (parent.IsMapping) parent.ExpectingKey = !parent.ExpectingKey;
    }

    private sealed class Frame(AnchorName anchor, bool isMapping)
    {
        public AnchorName Anchor { get; } = anchor;
        public bool IsMapping { get; } = isMapping;
        public bool ExpectingKey { get; set; } = true;
        public long Size { get; set; }
        public int Depth { get; set; }
        public Dictionary<string, Mark>? Keys { get; set; }
    }
}
