using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>A bad release (the lab's <c>bad-release</c> scenario) followed in the dashboard: the failing gate's verdict
/// with its reason, the breach and the rollback, as the audit log records them.</summary>
public sealed class DashboardBadReleaseTests(BadReleaseDashboard lab) : IClassFixture<BadReleaseDashboard>
{
    [Fact]
    public async Task RolloutView_BadRelease_ShowsTheFailingGatesReasonAndTheRollback()
    {
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.ViewerToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Rollouts" }).ClickAsync();
        await Expect(page.Locator("#no-rollout")).ToBeVisibleAsync();

        var id = await lab.StartRolloutAsync(new { scenario = "bad-release" });
        var record = await lab.WaitEndedAsync(id);

        Assert.Equal("rolled-back", record.GetProperty("status").GetString());
        using var http = lab.Viewer();
        var audit = (await http.GetFromJsonAsync<JsonElement>("api/v1/audit?limit=200")).GetProperty("entries").EnumerateArray().ToList();
        var breach = Assert.Single(audit, e => Action(e) == "breach").GetProperty("record");
        var rolledBack = audit.Where(e => Action(e) == "rollback").Select(e => e.GetProperty("record").GetProperty("ring").GetString()!).ToList();
        Assert.NotEmpty(rolledBack);

        await Expect(page.Locator("#rollout-title [data-status]")).ToHaveAttributeAsync("data-status", "rolled-back");
        await Expect(page.Locator("#breach")).ToContainTextAsync(breach.GetProperty("reason").GetString()!);
        var breachRing = page.Locator($"#rings li.ring[data-ring='{breach.GetProperty("ring").GetString()}']");
        var failed = breachRing.Locator("table.gates tr[data-verdict='failed']");
        await Expect(failed.First).ToBeVisibleAsync();
        // The failing gate's own reason, with its numbers, is in the breach the walker recorded.
        var reason = (await failed.First.Locator("td").Nth(2).TextContentAsync())!;
        Assert.Matches(@"\d", reason);
        Assert.Contains(reason, breach.GetProperty("reason").GetString()!, StringComparison.Ordinal);
        foreach (var ring in rolledBack)
            await Expect(page.Locator($"#rings li.ring[data-ring='{ring}']")).ToHaveAttributeAsync("data-phase", "rolled-back");
        await Expect(page.Locator("#timeline li[data-kind='rollback']").First).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "rollout-bad-release");
        // The status document puts a rolled-back ring on its last-known-good release, the rest on the new one or none.
        var status = await http.GetFromJsonAsync<JsonElement>("api/v1/status?fresh=true");
        foreach (var ring in status.GetProperty("rings").EnumerateArray().Where(r => rolledBack.Contains(r.GetProperty("ring").GetString()!)))
        {
            Assert.Equal("rolled-back", ring.GetProperty("phase").GetString());
            Assert.Contains("pos-app=2.4.1", ring.GetProperty("release").GetString(), StringComparison.Ordinal);
        }

        // The colours only a bad release shows (breach banner, failed verdicts, rolled-back phases, the hold) read in
        // both schemes.
        var violations = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var scanned = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken, scheme);
            await Expect(scanned.Locator("#holds-table")).ToBeVisibleAsync();
            violations.AddRange((await DashboardBrowser.SeriousViolationsAsync(scanned)).Select(v => $"overview ({scheme}): {v}"));
            await scanned.GetByRole(AriaRole.Link, new() { Name = "Rollouts" }).ClickAsync();
            await Expect(scanned.Locator("#breach")).ToBeVisibleAsync();
            violations.AddRange((await DashboardBrowser.SeriousViolationsAsync(scanned)).Select(v => $"rollout ({scheme}): {v}"));
            await DashboardBrowser.ScreenshotAsync(scanned, $"rollout-bad-release-{scheme.ToString().ToLowerInvariant()}");
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static string? Action(JsonElement entry) => entry.GetProperty("record").GetProperty("action").GetString();
}
