using System.Globalization;

namespace EdgeInfra.Rollout.Policy;

/// <summary>Formats durations the way the timeline and gate reasons show them: <c>45s</c>, <c>12m</c>, <c>2h05m</c>, <c>1d3h</c>.</summary>
public static class Durations
{
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        var c = CultureInfo.InvariantCulture;
        if (span.TotalDays >= 1) return string.Create(c, $"{(int)span.TotalDays}d{span.Hours}h");
        if (span.TotalHours >= 1) return string.Create(c, $"{(int)span.TotalHours}h{span.Minutes:D2}m");
        if (span.TotalMinutes >= 1) return span.Seconds == 0 ? string.Create(c, $"{span.Minutes}m") : string.Create(c, $"{span.Minutes}m{span.Seconds:D2}s");
        return string.Create(c, $"{(int)span.TotalSeconds}s");
    }
}
