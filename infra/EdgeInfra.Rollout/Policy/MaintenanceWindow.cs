using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeInfra.Components.Model;

namespace EdgeInfra.Rollout.Policy;

/// <summary>A store's daily maintenance window, from its <c>maintenance-window</c> label (<c>HH-HH</c> or
/// <c>HHMM-HHMM</c>, store-local, may wrap midnight like <c>22-01</c>) read in its <c>timezone</c> label (IANA, with
/// <c>.</c> for <c>/</c>).</summary>
/// <param name="Zone">The store's time zone; UTC when the label is missing or unknown on this machine.</param>
public sealed record MaintenanceWindow(TimeOnly Start, TimeOnly End, TimeZoneInfo Zone, string Label)
{
    /// <summary>The store's window, or null when it has none (a store without a window may change at any time).</summary>
    /// <remarks>Read once per store (its labels never change): a rollout host asks for every waiting store's at every
    /// gate evaluation.</remarks>
    public static MaintenanceWindow? Of(Store store) => Known.GetValue(store, s => new StrongBox<MaintenanceWindow?>(Parse(s))).Value;

    private static readonly ConditionalWeakTable<Store, StrongBox<MaintenanceWindow?>> Known = new();

    private static MaintenanceWindow? Parse(Store store)
    {
        if (store.Label(StoreLabels.MaintenanceWindow) is not { Length: > 0 } label || !TryParse(label, out var start, out var end))
            return null;
        var zone = store.Label(StoreLabels.Timezone) is { Length: > 0 } tz
                   && TimeZoneInfo.TryFindSystemTimeZoneById(tz.Replace('.', '/'), out var found) ? found : TimeZoneInfo.Utc;
        return new MaintenanceWindow(start, end, zone, label);
    }

    public static bool TryParse(string label, out TimeOnly start, out TimeOnly end)
    {
        start = end = default;
        var dash = label.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && TryTime(label[..dash], out start) && TryTime(label[(dash + 1)..], out end);
    }

    /// <summary>Whether the window is open at <paramref name="now"/>, in the store's local time.</summary>
    public bool IsOpen(DateTimeOffset now)
    {
        if (Start == End) return true; // 00-24 and the like: the whole day
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        return Start < End ? local >= Start && local < End : local >= Start || local < End;
    }

    /// <summary>The most a store is denied of its window at the end: a change released to it later than this before the
    /// window closes might still be applying when it does. A quarter of a shorter window.</summary>
    public static readonly TimeSpan ReleaseMargin = TimeSpan.FromMinutes(15);

    /// <summary>How long the window is open each day (a whole day for <c>00-24</c> and the like).</summary>
    public TimeSpan Length => Start == End ? TimeSpan.FromDays(1) : Wrap(End.ToTimeSpan() - Start.ToTimeSpan());

    /// <summary>Whether a change may be released to the store at <paramref name="now"/>: its window is open and stays open
    /// for at least the release margin, so Fleet applies it inside the window.</summary>
    public bool Admits(DateTimeOffset now) => Start == End || (IsOpen(now) && ClosesIn(now) >= Margin);

    /// <summary>When the store next admits a change (now itself when it does).</summary>
    public DateTimeOffset NextAdmission(DateTimeOffset now)
    {
        if (Admits(now)) return now;
        // Open but too close to its end: the next opening is after this one closes.
        var from = IsOpen(now) ? now + ClosesIn(now) : now;
        return NextOpening(from);
    }

    private TimeSpan Margin => Length / 4 < ReleaseMargin ? Length / 4 : ReleaseMargin;

    /// <summary>How long until an open window closes, in the store's local time.</summary>
    private TimeSpan ClosesIn(DateTimeOffset now) =>
        Wrap(End.ToTimeSpan() - TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime).ToTimeSpan());

    private static TimeSpan Wrap(TimeSpan t) => t < TimeSpan.Zero ? t + TimeSpan.FromDays(1) : t;

    /// <summary>When the window next opens after <paramref name="now"/> (now itself when it is open).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now)
    {
        if (IsOpen(now)) return now;
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        for (var day = 0; day < 3; day++)
        {
            var local = localDate.AddDays(day).ToDateTime(Start);
            if (Zone.IsInvalidTime(local)) local = local.AddHours(1); // a DST gap swallowed the start: it opens an hour later
            var at = new DateTimeOffset(local, Zone.GetUtcOffset(local));
            if (at > now) return at;
        }
        return now;
    }

    public string Describe() => $"{Label} {Zone.Id}";

    private static bool TryTime(string text, out TimeOnly time)
    {
        time = default;
        int hours, minutes = 0;
        var ok = text.Length switch
        {
            2 => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out hours),
            4 => int.TryParse(text[..2], NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                 && int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes),
            _ => (hours = -1) > 0,
        };
        if (!ok || hours is < 0 or > 24 || minutes is < 0 or > 59 || (hours == 24 && minutes > 0)) return false;
        time = hours == 24 ? TimeOnly.MinValue : new TimeOnly(hours, minutes);
        return true;
    }
}
