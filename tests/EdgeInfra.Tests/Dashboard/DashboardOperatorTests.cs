using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>An operator rolls back a ring and approves a store's catch-up from the dashboard in chromium, over a lab
/// released twice whose offline stores wait for approval: each dialog shows the audit entry made, the views show the
/// outcome, and the service's own state confirms it.</summary>
public sealed class DashboardOperatorTests(AwaitingApprovalDashboard lab) : IClassFixture<AwaitingApprovalDashboard>
{
    /// <summary>The ring the rollback test sends back; the approval test picks its store elsewhere, so that either test
    /// may run first.</summary>
    private const string RolledBackRing = "retail-region-1";
    private const string BadRelease = "pos-app=2.5.0";

    [Fact]
    public async Task Actions_OperatorRollsBackARing_TheDialogShowsTheEntryAndTheRingRunsItsLastKnownGoodRelease()
    {
        using var http = lab.Operator();
        var before = await RingAsync(http, RolledBackRing);
        Assert.Contains(BadRelease, Str(before, "release"), StringComparison.Ordinal);
        try
        {
            var ops = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken);
            var row = ops.Locator($"#rings-table tr[data-key='{RolledBackRing}']");
            await Expect(row).ToContainTextAsync(BadRelease);

            await row.GetByRole(AriaRole.Button, new() { Name = $"Roll back {RolledBackRing}…" }).ClickAsync();
            var dialog = ops.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync($"Roll back ring {RolledBackRing}?");
            await dialog.GetByLabel("Reason (recorded in the audit log)").FillAsync("tills freeze at checkout");
            await DashboardBrowser.ScreenshotAsync(ops, "confirm-rollback");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
            var made = dialog.Locator("[data-testid='audit-entry-made']");
            await Expect(made).ToContainTextAsync("rollback");
            await Expect(made).ToContainTextAsync("by ops");
            await Expect(made).ToContainTextAsync($"ring {RolledBackRing}");
            await Expect(made).ToContainTextAsync("tills freeze at checkout");
            await Expect(dialog).ToContainTextAsync($"{RolledBackRing}: back to v");
            await DashboardBrowser.ScreenshotAsync(ops, "rolled-back");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

            // The service: the ring runs another release now, rolled back, and its stack's history says so.
            var after = await RingAsync(http, RolledBackRing);
            var restored = Str(after, "release");
            Assert.DoesNotContain(BadRelease, restored, StringComparison.Ordinal);
            Assert.Contains("pos-app=", restored, StringComparison.Ordinal);
            Assert.Equal("rolled-back", Str(after, "phase"));
            var history = await http.GetFromJsonAsync<JsonElement>($"api/v1/history?ring={RolledBackRing}&limit=1");
            var last = history.EnumerateArray().Single(h => Str(h, "stack") == $"lab.{RolledBackRing}").GetProperty("entries")[0];
            Assert.StartsWith("edgeinfra rollback", Str(last, "message"), StringComparison.Ordinal);
            Assert.Equal("succeeded", Str(last, "result")!.ToLowerInvariant());
            Assert.Contains(BadRelease, (await http.GetFromJsonAsync<JsonElement>("api/v1/holds")).EnumerateArray().Select(h => Str(h, "item")));

            // The overview, redrawn on closing the dialog: the restored release and the phase, the bad release held.
            await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(restored!.Replace(",", "", StringComparison.Ordinal), new() { Timeout = 5_000 });
            await Expect(row.Locator(".badge.phase")).ToHaveTextAsync("rolled-back");
            await Expect(ops.GetByRole(AriaRole.Button, new() { Name = $"Unhold {BadRelease}…" })).ToBeVisibleAsync();
            await DashboardBrowser.ScreenshotAsync(ops, "overview-rolled-back");
        }
        finally
        {
            await http.DeleteAsync($"api/v1/holds/{Uri.EscapeDataString(BadRelease)}");
        }
    }

    [Fact]
    public async Task Actions_OperatorApprovesAStoresCatchUp_TheDialogShowsTheEntryAndTheStoreIsApproved()
    {
        using var http = lab.Operator();
        var page = await http.GetFromJsonAsync<JsonElement>("api/v1/stores?pageSize=500&fresh=true");
        var waiting = page.GetProperty("items").EnumerateArray()
            .Where(s => s.TryGetProperty("catchUp", out var c) && c.ValueKind == JsonValueKind.Object
                        && Str(c, "class") == "hold-for-review" && !c.GetProperty("approved").GetBoolean() && Str(s, "ring") != RolledBackRing)
            .Select(s => Str(s, "id")!).Order(StringComparer.Ordinal).ToList();
        Assert.True(waiting.Count > 0, "the fixture left no store awaiting approval outside " + RolledBackRing + ": " + page);
        var store = waiting[0];

        var ops = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken);
        await ops.EvaluateAsync($"() => {{ location.hash = '#/stores/{store}'; }}");
        var status = ops.Locator("#store-catchup dd[data-fact='status']");
        await Expect(status).ToHaveTextAsync("paused");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Approve catch-up…" }).ClickAsync();
        var dialog = ops.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Approve catch-up for {store}?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        var made = dialog.Locator("[data-testid='audit-entry-made']");
        await Expect(made).ToContainTextAsync("catch-up-approve");
        await Expect(made).ToContainTextAsync("by ops");
        await Expect(dialog).ToContainTextAsync($"approved {store}");
        await DashboardBrowser.ScreenshotAsync(ops, "approved-catch-up");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // The store page, redrawn on closing the dialog: approved, and no second approval offered.
        await Expect(status).ToContainTextAsync("approved", new() { Timeout = 5_000 });
        await Expect(ops.GetByRole(AriaRole.Button, new() { Name = "Approve catch-up…" })).ToHaveCountAsync(0);
        await Expect(ops.Locator("#store-audit tr[data-action='catch-up-approve']")).ToHaveCountAsync(1);

        // The service: the store is approved, the audit entry names it and the operator, the others still wait.
        var doc = await http.GetFromJsonAsync<JsonElement>($"api/v1/stores/{store}?fresh=true");
        Assert.True(doc.GetProperty("catchUp").GetProperty("approved").GetBoolean(), doc.ToString());
        var entry = (await http.GetFromJsonAsync<JsonElement>("api/v1/audit?action=catch-up-approve&limit=1")).GetProperty("entries")[0].GetProperty("record");
        Assert.Equal("ops", Str(entry, "actor"));
        Assert.Equal([store], entry.GetProperty("stores").EnumerateArray().Select(s => s.GetString()));
        foreach (var other in waiting.Skip(1))
        {
            var o = await http.GetFromJsonAsync<JsonElement>($"api/v1/stores/{other}");
            Assert.False(o.GetProperty("catchUp").GetProperty("approved").GetBoolean(), other);
        }
    }

    private static async Task<JsonElement> RingAsync(HttpClient http, string ring) =>
        (await http.GetFromJsonAsync<JsonElement>("api/v1/status?fresh=true")).GetProperty("rings").EnumerateArray().Single(r => Str(r, "ring") == ring);

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
