using System.Text;
using System.Text.RegularExpressions;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Writes and reads git commit trailers (<c>Key: value</c> lines in the message's last paragraph).</summary>
/// <remarks>
/// The format is git's (<c>git interpret-trailers</c>, <c>%(trailers)</c>): the block is separated from the body by one
/// blank line, one trailer a line, keys made of letters, digits and hyphens. Parsing is stricter than git's (every line
/// of the last paragraph must be a trailer or a continuation), which is what EdgeInfra writes.
/// </remarks>
internal static partial class GitTrailers
{
    /// <summary>The full commit message: <paramref name="message"/>, a blank line, then the trailer block.</summary>
    public static string Format(string message, IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        var body = message.ReplaceLineEndings("\n").Trim('\n', ' ', '\t');
        var text = new StringBuilder(body.Length + trailers.Count * 32);
        text.Append(body).Append('\n');
        if (trailers.Count == 0) return text.ToString();

        text.Append('\n');
        foreach (var (key, value) in trailers)
        {
            if (!Key().IsMatch(key))
                throw new ArgumentException($"'{key}' is not a valid git trailer key (letters, digits and '-', starting with a letter or digit)", nameof(trailers));
            // A trailer is one line: folding newlines keeps a multi-line value from ending the block early.
            var line = string.Join(' ', value.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            text.Append(key).Append(':');
            if (line.Length > 0) text.Append(' ').Append(line);
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The trailers of a commit message in order; empty when its last paragraph is not a trailer block.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string message)
    {
        var paragraphs = message.ReplaceLineEndings("\n").Trim('\n').Split("\n\n");
        if (paragraphs.Length < 2) return [];

        var trailers = new List<KeyValuePair<string, string>>();
        foreach (var line in paragraphs[^1].Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && trailers.Count > 0)
            {
                var (k, v) = trailers[^1];
                trailers[^1] = KeyValuePair.Create(k, $"{v} {line.Trim()}".Trim());
                continue;
            }
            var m = Line().Match(line);
            if (!m.Success) return [];
            trailers.Add(KeyValuePair.Create(m.Groups[1].Value, m.Groups[2].Value.Trim()));
        }
        return trailers;
    }

    /// <summary>The message without its trailer block.</summary>
    public static string Body(string message)
    {
        var text = message.ReplaceLineEndings("\n").Trim('\n');
        if (Parse(text).Count == 0) return text;
        return text[..text.LastIndexOf("\n\n", StringComparison.Ordinal)].TrimEnd('\n');
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*\z")]
    private static partial Regex Key();

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:(.*)$")]
    private static partial Regex Line();
}
