using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeInfra.Components.Text;

/// <summary>The one parser of durations as config and command-line options write them: <c>30s</c>, <c>30m</c>,
/// <c>2h</c>, <c>1h30m</c>, <c>1d</c>; <c>0</c> means none.</summary>
/// <remarks>Milliseconds (<c>500ms</c>) only where the caller allows them: the lab's simulator settings time agents
/// and links below a second; stack settings (bakes, intervals, timeouts) and options never do.</remarks>
public static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan span, bool allowMilliseconds = false)
    {
        span = TimeSpan.Zero;
        var t = text.Trim();
        if (t == "0") return true;
        var match = Pattern().Match(t);
        if (!match.Success) return false;
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd']);
            var unit = part.Value[unitStart..];
            if (unit == "ms" && !allowMilliseconds) return false;
            var number = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            total += unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromDays(number),
            };
        }
        span = total;
        return true;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(ms|s|m|h|d))+\z")]
    private static partial Regex Pattern();
}
