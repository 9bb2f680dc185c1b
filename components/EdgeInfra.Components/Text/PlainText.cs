using System.Globalization;
using System.Text;

namespace EdgeInfra.Components.Text;

/// <summary>Finds the characters a hand-edited name or value must not hide: control and invisible format characters.</summary>
/// <remarks>A newline in a label forges a second line of YAML or a commit trailer; a zero-width space or a bidi override
/// makes two different names look alike in a review. Messages show such values with the characters escaped.</remarks>
public static class PlainText
{
    /// <summary>The first control (Cc), format (Cf), line/paragraph separator or unpaired surrogate character; null when none.</summary>
    public static int? FirstHiddenCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (IsHidden(c)) return i;
        }
        return null;
    }

    public static bool IsHidden(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    /// <summary>What the hidden character at <paramref name="index"/> is, e.g. "a newline (U+000A) at position 6".</summary>
    public static string Describe(string value, int index)
    {
        var c = value[index];
        var name = c switch
        {
            '\n' => "a newline",
            '\r' => "a carriage return",
            '\t' => "a tab",
            _ when char.GetUnicodeCategory(c) == UnicodeCategory.Format => "an invisible format character",
            _ when char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line separator",
            _ when char.IsSurrogate(c) => "an unpaired surrogate",
            _ => "a control character",
        };
        return $"{name} (U+{(int)c:X4}) at position {index + 1}";
    }

    /// <summary>The value with hidden characters escaped as <c>\uXXXX</c> (and <c>\n</c>, <c>\t</c>), cut to 80 characters.</summary>
    public static string Visible(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > 80 ? value[..80] : value)
        {
            if (c == '\n') text.Append("\\n");
            else if (c == '\r') text.Append("\\r");
            else if (c == '\t') text.Append("\\t");
            else if (IsHidden(c)) text.Append($"\\u{(int)c:X4}");
            else text.Append(c);
        }
        if (value.Length > 80) text.Append($"… ({value.Length:N0} characters)");
        return text.ToString();
    }
}
