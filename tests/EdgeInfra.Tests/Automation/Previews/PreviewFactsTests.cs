using System.Text.RegularExpressions;
using EdgeInfra.Automation;
using EdgeInfra.Tests.Rollout.EndToEnd;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Automation.Previews;

/// <summary>The rollout estimate a preview's comment carries, against waits worked out by hand: every store's window is
/// 02:00–05:00 UTC and the preview is made at 10:00 UTC.</summary>
public sealed partial class PreviewFactsTests
{
    private static readonly DateTimeOffset TenAm = new(2026, 12, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PreviewAsync_NextWindowReleaseBump_FirstRingWaitsForTheWindowAndLaterRingsOpenInsideIt()
    {
        using var lab = await WindowedLabAsync();
        await lab.OkAsync("up", "--stack", "lab", "--all-rings", "--yes");
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");

        var facts = (await EdgeInfraWorkspace.Load(lab.Dir, new FakeTimeProvider(TenAm)).Stack("lab").PreviewAsync()).Facts!;

        var rings = facts.Rings.ToDictionary(r => r.Ring);
        Assert.Equal(["retail-region-1", "retail-region-2", "all"], facts.Rings.Select(r => r.Ring));
        Assert.All(facts.Rings, r => Assert.Equal("next-window", r.ChangeClass));
        // 10:00 → 02:00: sixteen hours for every store of the first ring; then a gate interval and its 30m bake.
        Assert.Equal(rings["retail-region-1"].StoresReached, rings["retail-region-1"].WindowWaits);
        Assert.Equal(TimeSpan.FromHours(16), rings["retail-region-1"].LongestWindowWait);
        Assert.Equal(new TimeSpan(16, 31, 0), rings["retail-region-1"].Duration);
        // The next ring opens at 02:31, inside the window: no wait, a gate interval and its 2h bake.
        Assert.Equal(new TimeSpan(16, 31, 0), rings["retail-region-2"].StartsAfter);
        Assert.Equal(0, rings["retail-region-2"].WindowWaits);
        Assert.Equal(new TimeSpan(2, 1, 0), rings["retail-region-2"].Duration);
        // The last at 04:32: 28 minutes before the window closes, more than the 15-minute release margin.
        Assert.Equal(0, rings["all"].WindowWaits);
        Assert.Equal(new TimeSpan(18, 32, 0), rings["all"].StartsAfter);
        Assert.Equal(12, facts.Rings.Sum(r => r.StoresReached));
        Assert.All(facts.Rings, r => Assert.Equal(r.StoresReached, r.Regions.Values.Sum()));
    }

    [Fact]
    public async Task PreviewAsync_FirstRelease_NoStoreWaitsForItsWindowAndIdsAreListed()
    {
        using var lab = await WindowedLabAsync();

        var facts = (await EdgeInfraWorkspace.Load(lab.Dir, new FakeTimeProvider(TenAm)).Stack("lab").PreviewAsync()).Facts!;

        Assert.All(facts.Rings, r => Assert.Equal(0, r.WindowWaits));
        Assert.Equal(new TimeSpan(0, 31, 0), facts.Rings[0].Duration);
        Assert.All(facts.Rings, r => Assert.Equal(r.StoresReached, r.StoreIds.Count));
    }

    /// <summary>Twelve generated stores, every one with the window 02-05 in UTC.</summary>
    private static async Task<SmallLab> WindowedLabAsync()
    {
        var lab = await SmallLab.CreateAsync(12);
        lab.Project.Edit(lab.Project.LabInventory, text =>
            TimeZoneLabel().Replace(WindowLabel().Replace(text, "maintenance-window: \"02-05\""), "timezone: UTC"));
        return lab;
    }

    [GeneratedRegex(@"maintenance-window: ""?[0-9-]+""?")]
    private static partial Regex WindowLabel();

    [GeneratedRegex(@"timezone: \S+")]
    private static partial Regex TimeZoneLabel();
}
