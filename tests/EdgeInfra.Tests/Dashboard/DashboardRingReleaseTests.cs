using System.Net.Http.Json;
using System.Text.Json;
using EdgeInfra.Tests.Rollout.EndToEnd;
using EdgeInfra.Tests.Service;
using static Microsoft.Playwright.Assertions;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>A ring applied by hand (<c>up --ring</c>, no rollout ever ran) shows the release its ring stack applied.</summary>
public sealed class DashboardRingReleaseTests
{
    [Fact]
    public async Task Overview_RingAppliedByUpWithoutARollout_ShowsTheReleaseItsStackApplied()
    {
        using var lab = await SmallLab.CreateAsync(12);
        await ServiceTokens.SetAsync(lab, ("dashboard", "viewer", DashboardFixture.ViewerToken));
        await lab.OkAsync("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        await using var service = await ServiceProcess.StartAsync(lab.Dir, ServiceTokens.Env);
        await using var browser = await DashboardBrowser.LaunchAsync();

        using var http = service.Client(DashboardFixture.ViewerToken);
        var rings = (await http.GetFromJsonAsync<JsonElement>("api/v1/status")).GetProperty("rings").EnumerateArray()
            .ToDictionary(r => r.GetProperty("ring").GetString()!);
        var applied = rings["retail-region-1"];
        var release = applied.GetProperty("release").GetString()!;
        Assert.Matches("^pos-app=[0-9.]+,store-baseline=[0-9.]+$", release);
        Assert.True(Absent(applied, "phase"), applied.ToString());
        // The others were never applied: no release to show.
        Assert.All(new[] { "retail-region-2", "all" }, r => Assert.True(Absent(rings[r], "release"), rings[r].ToString()));

        var page = await browser.SignInAsync(service.Url, DashboardFixture.ViewerToken);
        var cells = page.Locator("#rings-table tr[data-key='retail-region-1'] td");
        await Expect(cells.Nth(0)).ToHaveTextAsync(release.Replace(",", "", StringComparison.Ordinal));
        await Expect(page.Locator("#rings-table tr[data-key='all'] td").Nth(0)).ToHaveTextAsync("not known");
    }

    /// <summary>The service leaves null fields out of its documents.</summary>
    private static bool Absent(JsonElement e, string name) => !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null;
}
