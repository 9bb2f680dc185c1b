using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>The stores table at 10,000 stores: every page, sort and filter is the service's, and the page shows what the
/// API answers for the same query.</summary>
public sealed class DashboardBigFleetTests(BigFleetDashboard lab) : IClassFixture<BigFleetDashboard>
{
    private const int PageSize = 50;

    [Fact]
    public async Task StoresTable_TenThousandStores_PagesSortsAndFiltersOnTheServer()
    {
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.ViewerToken);
        await Expect(page.Locator("#state-tiles")).ToBeVisibleAsync();
        await Expect(page.Locator("#fleet-title")).ToHaveTextAsync("10,000 stores");
        await DashboardBrowser.ScreenshotAsync(page, "overview-10000");
        await page.GetByRole(AriaRole.Link, new() { Name = "Stores" }).ClickAsync();
        var table = page.Locator("#stores-table");
        await Expect(table).ToHaveAttributeAsync("data-page", "1");
        await Expect(page.Locator("#stores-summary")).ToContainTextAsync("10,000 stores match");
        await Expect(page.Locator("#page-position")).ToHaveTextAsync("Page 1 of 200");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(PageSize);
        await DashboardBrowser.ScreenshotAsync(page, "stores-10000");

        await page.GetByRole(AriaRole.Button, new() { Name = "Next →" }).ClickAsync();
        await Expect(table).ToHaveAttributeAsync("data-page", "2");
        Assert.Equal(await IdsAsync("sort=id&page=2"), await RowsAsync(page));

        await page.GetByRole(AriaRole.Button, new() { Name = "Store", Exact = true }).ClickAsync();
        await Expect(page.Locator("#stores-table th[aria-sort='descending']")).ToHaveCountAsync(1);
        await Expect(table).ToHaveAttributeAsync("data-page", "1");
        Assert.Equal(await IdsAsync("sort=id&desc=true"), await RowsAsync(page));

        using var http = lab.Viewer();
        var status = await http.GetFromJsonAsync<JsonElement>("api/v1/status");
        var ring = status.GetProperty("rings")[1];
        await page.GetByLabel("Ring").SelectOptionAsync(ring.GetProperty("ring").GetString()!);
        await Expect(page.Locator("#stores-summary")).ToContainTextAsync($"{ring.GetProperty("stores").GetInt32():N0} stores match");
        Assert.Equal(await IdsAsync($"sort=id&desc=true&ring={ring.GetProperty("ring").GetString()}"), await RowsAsync(page));

        var store = (await http.GetFromJsonAsync<JsonElement>($"api/v1/stores?pageSize=1&page=77")).GetProperty("items")[0];
        var (label, value) = store.GetProperty("labels").EnumerateObject().Select(l => (l.Name, l.Value.GetString()!)).First();
        await page.GetByLabel("Ring").SelectOptionAsync("");
        await page.GetByLabel("Labels (selector)").FillAsync($"{label}={value}");
        await page.GetByLabel("Store id contains").FillAsync(store.GetProperty("id").GetString()!);
        await Expect(page.Locator("#stores-summary")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1 stores match"));
        Assert.Equal([store.GetProperty("id").GetString()!], await RowsAsync(page));
        await page.GetByLabel("State").SelectOptionAsync("failed");
        await Expect(table.Locator("tbody")).ToContainTextAsync("No store matches.");
    }

    private static async Task<IReadOnlyList<string>> RowsAsync(IPage page) =>
        [.. (await page.Locator("#stores-table tbody tr[data-store]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.store)"))];

    private async Task<IReadOnlyList<string>> IdsAsync(string query)
    {
        using var http = lab.Viewer();
        var answer = await http.GetFromJsonAsync<JsonElement>($"api/v1/stores?pageSize={PageSize}&{query}");
        return [.. answer.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }
}
