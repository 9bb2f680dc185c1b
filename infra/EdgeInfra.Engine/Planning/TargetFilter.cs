using System.Text;
using System.Text.RegularExpressions;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.Planning;

/// <summary>Pulumi's <c>--target</c> URN globs: <c>*</c> matches within one <c>::</c> segment, <c>**</c> matches anything.</summary>
internal sealed class TargetFilter
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<Regex> _globs = [];

    public TargetFilter(IEnumerable<string> targets)
    {
        foreach (var t in targets)
        {
            if (!t.Contains('*', StringComparison.Ordinal)) { _exact.Add(t); continue; }
            var sb = new StringBuilder("^");
            for (var i = 0; i < t.Length; i++)
            {
                if (t[i] == '*' && i + 1 < t.Length && t[i + 1] == '*') { sb.Append(".*"); i++; }
                else if (t[i] == '*') sb.Append("(?:(?!::).)*");
                else sb.Append(Regex.Escape(t[i].ToString()));
            }
            _globs.Add(new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled));
        }
    }

    public bool IsEmpty => _exact.Count == 0 && _globs.Count == 0;

    public bool Matches(Urn urn) => IsEmpty || _exact.Contains(urn.Value) || _globs.Exists(g => g.IsMatch(urn.Value));
}
