using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>Writes config node trees as block YAML in the layout Pulumi's CLI produces (two-space indents, block secrets).</summary>
/// <remarks>Comments are not part of the node tree, so a full rewrite drops them; <see cref="StackConfigEditor"/> avoids a
/// full rewrite whenever a line-preserving edit can express the change.</remarks>
internal static class YamlWriter
{
    public static string Write(YamlMappingNode root)
    {
        var sb = new StringBuilder();
        WriteMappingBody(sb, root, 0);
        return sb.ToString();
    }

    /// <summary>Writes what follows <c>key:</c> (a space and a scalar, or a newline and a nested block at <paramref name="indent"/> + 2).</summary>
    public static void WriteValue(StringBuilder sb, YamlNode node, int indent)
    {
        switch (node)
        {
            case YamlMappingNode { Children.Count: 0 }: sb.Append(" {}\n"); break;
            case YamlSequenceNode { Children.Count: 0 }: sb.Append(" []\n"); break;
            case YamlMappingNode m: sb.Append('\n'); WriteMappingBody(sb, m, indent + 2); break;
            case YamlSequenceNode s: sb.Append('\n'); WriteSequenceBody(sb, s, indent + 2); break;
            case YamlScalarNode sc: sb.Append(' ').Append(Scalar(sc)).Append('\n'); break;
            default: sb.Append(" null\n"); break;
        }
    }

    private static void WriteMappingBody(StringBuilder sb, YamlMappingNode m, int indent)
    {
        foreach (var (k, v) in m.Children)
        {
            sb.Append(' ', indent).Append(k is YamlScalarNode ks ? Scalar(ks) : Quote(k.ToString())).Append(':');
            WriteValue(sb, v, indent);
        }
    }

    private static void WriteSequenceBody(StringBuilder sb, YamlSequenceNode s, int indent)
    {
        foreach (var item in s.Children)
        {
            switch (item)
            {
                case YamlMappingNode { Children.Count: > 0 } or YamlSequenceNode { Children.Count: > 0 }:
                    // Render the item as a block two columns in, then put the dash into the first line's indent.
                    var block = new StringBuilder();
                    if (item is YamlMappingNode im) WriteMappingBody(block, im, indent + 2);
                    else WriteSequenceBody(block, (YamlSequenceNode)item, indent + 2);
                    block[indent] = '-';
                    sb.Append(block);
                    break;
                default:
                    sb.Append(' ', indent).Append('-');
                    WriteValue(sb, item, indent);
                    break;
            }
        }
    }

    /// <summary>A scalar as YAML text: plain when that reads back as the same value, otherwise quoted.</summary>
    public static string Scalar(YamlScalarNode sc)
    {
        var text = sc.Value ?? "";
        return sc.Style switch
        {
            ScalarStyle.Plain or ScalarStyle.Any when IsSafePlain(text) => text,
            ScalarStyle.SingleQuoted when !text.Contains('\n') => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => Quote(text),
        };
    }

    /// <summary>A new string scalar, quoted when plain text would read as another type (<c>"true"</c>, <c>"3"</c>).</summary>
    /// <remarks>YAML 1.1 booleans (<c>yes</c>, <c>off</c>…) are quoted too, as Go's yaml.v3 does, so older readers agree.</remarks>
    public static YamlScalarNode StringScalar(string text)
    {
        var plain = new YamlScalarNode(text) { Style = ScalarStyle.Plain };
        var unambiguous = YamlValue.Classify(plain) == YamlValue.ScalarKind.String && !OldBooleans.Contains(text);
        plain.Style = unambiguous && IsSafePlain(text) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted;
        return plain;
    }

    private static readonly HashSet<string> OldBooleans = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    };

    public static YamlScalarNode TypedScalar(string text) => new(text) { Style = ScalarStyle.Plain };

    private static bool IsSafePlain(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return false;
        if ("?:,[]{}#&*!|>'\"%@`".Contains(text[0])) return false;
        if (text[0] == '-' && (text.Length == 1 || text[1] == ' ')) return false;
        if (text.EndsWith(':') || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal)) return false;
        return !text.Any(c => char.IsControl(c));
    }

    private static string Quote(string text) => YamlQuoting.DoubleQuoted(text);
}
