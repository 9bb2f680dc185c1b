using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Rollout.Walker;

public sealed class MaintenanceWindowTests
{
    private static readonly TimeZoneInfo Budapest = TimeZoneInfo.FindSystemTimeZoneById("Europe/Budapest");

    [Theory]
    // window, UTC time (January: Budapest is UTC+1), admits?, next admission (UTC)
    [InlineData("02-05", "2026-01-06T00:30:00Z", false, "2026-01-06T01:00:00Z")] // 01:30 local: before it opens
    [InlineData("02-05", "2026-01-06T01:00:00Z", true, "2026-01-06T01:00:00Z")]  // 02:00 local: open
    [InlineData("02-05", "2026-01-06T03:44:00Z", true, "2026-01-06T03:44:00Z")]  // 04:44 local: 16 min left
    [InlineData("02-05", "2026-01-06T03:50:00Z", false, "2026-01-07T01:00:00Z")] // 04:50 local: open, too near its end
    [InlineData("02-05", "2026-01-06T09:53:00Z", false, "2026-01-07T01:00:00Z")] // 10:53 local: the store-budapest
    [InlineData("22-01", "2026-01-05T23:30:00Z", true, "2026-01-05T23:30:00Z")]  // 00:30 local, across midnight
    [InlineData("22-01", "2026-01-05T23:50:00Z", false, "2026-01-06T21:00:00Z")] // 00:50 local: 10 min left
    [InlineData("0200-0230", "2026-01-06T01:23:00Z", false, "2026-01-07T01:00:00Z")] // a 30-min window: 7 min left, its margin is a quarter (7.5 min)
    [InlineData("0200-0230", "2026-01-06T01:22:00Z", true, "2026-01-06T01:22:00Z")]
    public void Admits_LocalTimeAgainstTheWindow_OnlyWhileItStaysOpenForTheMargin(string label, string utc, bool admits, string next)
    {
        Assert.True(MaintenanceWindow.TryParse(label, out var start, out var end));
        var window = new MaintenanceWindow(start, end, Budapest, label);
        var at = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(admits, window.Admits(at));
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), window.NextAdmission(at));
        Assert.True(window.IsOpen(window.NextAdmission(at)));
    }
}
