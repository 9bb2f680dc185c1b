using System.Globalization;
using System.Text;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>One sample line of the Prometheus text exposition format: metric name, labels and value.</summary>
public sealed record ExpositionSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Parses the Prometheus text exposition format (version 0.0.4): comments and blank lines skipped, label values
/// unescaped, <c>NaN</c>/<c>+Inf</c>/<c>-Inf</c> values, optional sample timestamps ignored.</summary>
public static class ExpositionParser
{
    /// <exception cref="FormatException">A line is not a sample, with its line number.</exception>
    public static List<ExpositionSample> Parse(string text)
    {
        var samples = new List<ExpositionSample>();
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#') continue;
            samples.Add(ParseLine(line, lineNumber));
        }
        return samples;
    }

    private static ExpositionSample ParseLine(ReadOnlySpan<char> line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && !char.IsWhiteSpace(line[i])) i++;
        var name = line[..i].ToString();
        if (name.Length == 0) throw Bad(lineNumber, "no metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                while (i < line.Length && (line[i] == ',' || line[i] == ' ')) i++;
                if (i >= line.Length) throw Bad(lineNumber, "unterminated label set");
                if (line[i] == '}') { i++; break; }
                var start = i;
                while (i < line.Length && line[i] != '=') i++;
                var label = line[start..i].Trim().ToString();
                if (i + 1 >= line.Length || line[i + 1] != '"') throw Bad(lineNumber, $"label '{label}' has no quoted value");
                i += 2;
                var value = new StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] switch { 'n' => '\n', var c => c });
                    }
                    else value.Append(line[i]);
                    i++;
                }
                if (i >= line.Length) throw Bad(lineNumber, $"label '{label}' value is not closed");
                i++;
                labels[label] = value.ToString();
            }
        }
        var rest = line[i..].Trim();
        var space = rest.IndexOf(' ');
        var valueText = (space < 0 ? rest : rest[..space]).ToString();
        return new ExpositionSample(name, labels, ParseValue(valueText, lineNumber));
    }

    private static double ParseValue(string text, int lineNumber) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Bad(lineNumber, $"'{text}' is not a sample value"),
    };

    private static FormatException Bad(int line, string why) => new($"metrics exposition line {line}: {why}");
}
