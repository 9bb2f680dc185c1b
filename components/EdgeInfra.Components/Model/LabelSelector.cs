namespace EdgeInfra.Components.Model;

/// <summary>A Kubernetes <c>labelSelector</c> query: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, comma-separated and ANDed.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad requirement.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var raw in SplitTopLevel(text))
        {
            var r = raw.Trim();
            if (r.Length == 0) continue;
            selector._requirements.Add(Requirement(r));
        }
        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
            if (!r(labels)) return false;
        return true;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> Requirement(string r)
    {
        var notIn = r.IndexOf(" notin ", StringComparison.Ordinal);
        var inAt = r.IndexOf(" in ", StringComparison.Ordinal);
        if (notIn > 0 || inAt > 0)
        {
            var negate = notIn > 0;
            var at = negate ? notIn : inAt;
            var key = r[..at].Trim();
            var set = r[(at + (negate ? 7 : 4))..].Trim();
            if (!set.StartsWith('(') || !set.EndsWith(')')) throw new FormatException($"unable to parse requirement '{r}': values must be in parentheses");
            var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return negate
                ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
        }
        if (r.Contains("!=", StringComparison.Ordinal))
        {
            var (key, value) = Split(r, "!=");
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }
        if (r.Contains("==", StringComparison.Ordinal))
        {
            var (key, value) = Split(r, "==");
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }
        if (r.Contains('='))
        {
            var (key, value) = Split(r, "=");
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }
        if (r.StartsWith('!'))
        {
            var key = r[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }
        if (r.Any(char.IsWhiteSpace)) throw new FormatException($"unable to parse requirement '{r}'");
        return labels => labels.ContainsKey(r);
    }

    private static (string Key, string Value) Split(string r, string op)
    {
        var at = r.IndexOf(op, StringComparison.Ordinal);
        var key = r[..at].Trim();
        if (key.Length == 0) throw new FormatException($"unable to parse requirement '{r}': no key");
        return (key, r[(at + op.Length)..].Trim());
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
