using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeInfra.Components.Yaml;

/// <summary>A small, fast block-style YAML writer for <see cref="JsonNode"/> trees, with quoting that survives any YAML 1.1/1.2 reader.</summary>
/// <remarks>
/// Hand-written because rendering tens of thousands of small documents through a general serializer is the hot path
/// of a fleet preview. Key order is the tree's insertion order, so output is deterministic.
/// </remarks>
public static class YamlEmitter
{
    private const int IndentStep = 2;

    /// <summary>Renders one YAML document (no <c>---</c> marker) ending in a newline.</summary>
    public static string Emit(JsonNode? root)
    {
        var sb = new StringBuilder(256);
        Emit(sb, root);
        return sb.ToString();
    }

    public static void Emit(StringBuilder sb, JsonNode? root)
    {
        switch (root)
        {
            case JsonObject { Count: > 0 } obj: WriteMapping(sb, obj, 0, firstInline: false); break;
            case JsonArray { Count: > 0 } arr: WriteSequence(sb, arr, 0, firstInline: false); break;
            default:
                if (root is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsBlockCandidate(v.GetValue<string>()))
                    WriteBlockLiteral(sb, v.GetValue<string>(), 0);
                else
                    sb.Append(Scalar(root)).Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder sb, JsonObject obj, int indent, bool firstInline)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && firstInline)) sb.Append(' ', indent);
            first = false;
            sb.Append(QuoteString(key)).Append(':');
            WriteValueAfterIndicator(sb, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder sb, JsonArray arr, int indent, bool firstInline)
    {
        var first = true;
        foreach (var item in arr)
        {
            if (!(first && firstInline)) sb.Append(' ', indent);
            first = false;
            sb.Append('-');
            switch (item)
            {
                case JsonObject { Count: > 0 } o: sb.Append(' '); WriteMapping(sb, o, indent + IndentStep, firstInline: true); break;
                case JsonArray { Count: > 0 } a: sb.Append(' '); WriteSequence(sb, a, indent + IndentStep, firstInline: true); break;
                default: WriteScalarAfterIndicator(sb, item, indent); break;
            }
        }
    }

    private static void WriteValueAfterIndicator(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } o: sb.Append('\n'); WriteMapping(sb, o, indent + IndentStep, firstInline: false); break;
            case JsonArray { Count: > 0 } a: sb.Append('\n'); WriteSequence(sb, a, indent + IndentStep, firstInline: false); break;
            default: WriteScalarAfterIndicator(sb, value, indent); break;
        }
    }

    private static void WriteScalarAfterIndicator(StringBuilder sb, JsonNode? value, int indent)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (IsBlockCandidate(s))
            {
                sb.Append(' ');
                WriteBlockLiteral(sb, s, indent + IndentStep);
                return;
            }
        }
        sb.Append(' ').Append(Scalar(value)).Append('\n');
    }

    private static void WriteBlockLiteral(StringBuilder sb, string s, int contentIndent)
    {
        var keep = s.EndsWith('\n');
        sb.Append(keep ? "|\n" : "|-\n");
        var body = keep ? s[..^1] : s;
        foreach (var line in body.Split('\n'))
        {
            if (line.Length > 0) sb.Append(' ', contentIndent).Append(line);
            sb.Append('\n');
        }
    }

    /// <summary>Multi-line text that a literal block reproduces exactly; anything subtler is double-quoted instead.</summary>
    private static bool IsBlockCandidate(string s)
    {
        if (!s.Contains('\n') || s.EndsWith("\n\n", StringComparison.Ordinal)) return false;
        if (s[0] is ' ' or '\t' or '\n') return false;
        foreach (var line in s.Split('\n'))
        {
            if (line.Length > 0 && string.IsNullOrWhiteSpace(line)) return false;
            if (line.Length > 0 && char.IsWhiteSpace(line[^1])) return false;
        }
        foreach (var c in s)
            if (c != '\n' && (char.IsControl(c) || c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085')) return false;
        return true;
    }

    /// <summary>The inline YAML text of a scalar (or an empty collection).</summary>
    public static string Scalar(JsonNode? node)
    {
        switch (node)
        {
            case null: return "null";
            case JsonObject: return "{}";
            case JsonArray: return "[]";
        }
        var v = node.AsValue();
        switch (v.GetValueKind())
        {
            case JsonValueKind.String: return QuoteString(v.GetValue<string>());
            case JsonValueKind.True: return "true";
            case JsonValueKind.False: return "false";
            case JsonValueKind.Null: return "null";
            case JsonValueKind.Number: return Number(v);
            default: return QuoteString(v.ToJsonString());
        }
    }

    private static string Number(JsonValue v)
    {
        if (v.TryGetValue<int>(out var i)) return i.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue<long>(out var l)) return l.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue<decimal>(out var m)) return m.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue<double>(out var d))
        {
            if (double.IsNaN(d)) return ".nan";
            if (double.IsPositiveInfinity(d)) return ".inf";
            if (double.IsNegativeInfinity(d)) return "-.inf";
            var text = d.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('.') || text.Contains('E') ? text : text + ".0";
        }
        // A JsonElement-backed number: its raw JSON text is a valid YAML number.
        return v.ToJsonString();
    }

    /// <summary>The string as a plain scalar when every YAML reader reads it back as the same string, else double-quoted.</summary>
    public static string QuoteString(string s) => NeedsQuotes(s) ? DoubleQuoted(s) : s;

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0) return true;
        var first = s[0];
        if (char.IsWhiteSpace(first) || char.IsWhiteSpace(s[^1])) return true;
        // Indicators that start something other than a plain scalar, and characters that start numbers in any schema.
        if ("-?:,[]{}#&*!|>'\"%@`=~<.+".Contains(first) || char.IsAsciiDigit(first)) return true;
        if (s.EndsWith(':')) return true;
        foreach (var c in s)
        {
            if (c is ':' or '#' or '"' or '\\' or ',' or '[' or ']' or '{' or '}') return true;
            if (char.IsControl(c) || c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085') return true;
        }
        return IsReservedWord(s);
    }

    private static bool IsReservedWord(string s)
    {
        if (s.Length > 5) return false;
        switch (s.ToLowerInvariant())
        {
            case "true": case "false": case "yes": case "no": case "y": case "n": case "on": case "off":
            case "null": case "nan": case "inf":
                return true;
            default:
                return false;
        }
    }

    private static string DoubleQuoted(string s) => EdgeInfra.Engine.Config.YamlQuoting.DoubleQuoted(s);
}
