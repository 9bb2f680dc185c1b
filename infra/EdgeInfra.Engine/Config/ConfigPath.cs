using System.Globalization;
using System.Text;

namespace EdgeInfra.Engine.Config;

/// <summary>A <c>config set --path</c> path: the config key, then object keys and array indexes (<c>rings[0].bake</c>, <c>a["x.y"]</c>).</summary>
/// <param name="Key">The first segment, the config key itself (may carry a namespace).</param>
/// <param name="Segments">The rest: <see cref="string"/> for an object key, <see cref="int"/> for an array index.</param>
public sealed record ConfigPath(string Key, IReadOnlyList<object> Segments)
{
    /// <summary>Parses a path in Pulumi's property-path syntax; throws <see cref="ConfigException"/> when malformed.</summary>
    public static ConfigPath Parse(string path)
    {
        var segments = new List<object>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                if (i + 1 < path.Length && path[i + 1] == '"')
                {
                    var endQuote = path.IndexOf("\"]", i + 2, StringComparison.Ordinal);
                    if (endQuote < 0) throw Bad(path, "missing '\"]'");
                    segments.Add(path[(i + 2)..endQuote]);
                    i = endQuote + 2;
                }
                else
                {
                    var close = path.IndexOf(']', i);
                    if (close < 0) throw Bad(path, "missing ']'");
                    var inner = path[(i + 1)..close];
                    if (!int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                        throw Bad(path, $"'[{inner}]' is neither an array index nor a quoted key");
                    segments.Add(index);
                    i = close + 1;
                }
                if (i < path.Length && path[i] == '.') i++;
                continue;
            }
            var sb = new StringBuilder();
            while (i < path.Length && path[i] is not '.' and not '[') sb.Append(path[i++]);
            if (sb.Length == 0) throw Bad(path, "empty segment");
            segments.Add(sb.ToString());
            if (i < path.Length && path[i] == '.')
            {
                i++;
                if (i == path.Length) throw Bad(path, "ends with '.'");
            }
        }
        if (segments.Count == 0 || segments[0] is not string key) throw Bad(path, "it must start with a configuration key");
        return new ConfigPath(key, segments.Skip(1).ToList());
    }

    private static ConfigException Bad(string path, string why) => new($"invalid configuration path '{path}': {why}");
}
