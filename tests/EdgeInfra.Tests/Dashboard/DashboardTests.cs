using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>The dashboard in chromium against the real service process over a 24-store lab: the overview's numbers,
/// a rollout followed live, roles, and an accessibility scan of every view.</summary>
public sealed class DashboardTests(SmallFleetDashboard lab) : IClassFixture<SmallFleetDashboard>
{
    private static readonly string[] States = ["ready", "applying", "pending", "offline", "failed", "drifted", "not-selected"];
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];

    [Fact]
    public async Task Overview_AfterARollout_EveryCountEqualsTheCliStatusJson()
    {
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.ViewerToken);
        var run = await lab.Lab.Project.Run("status", "--stack", "lab", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var cli = JsonDocument.Parse(run.Out).RootElement;
        // Refresh reads the hub now (the overview otherwise shows the service's shared read, up to 60 s old).
        var loads = int.Parse((await page.Locator("#overview").GetAttributeAsync("data-loads"))!, CultureInfo.InvariantCulture);
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.Locator("#overview")).ToHaveAttributeAsync("data-loads", $"{loads + 1}");

        var rows = cli.GetProperty("rings").EnumerateArray().ToList();
        Assert.Equal(Rings, rows.Select(r => r.GetProperty("ring").GetString()));
        foreach (var ring in rows)
        {
            var row = page.Locator($"#rings-table tr[data-key='{ring.GetProperty("ring").GetString()}']");
            await Expect(row.Locator("td[data-state='total']")).ToHaveTextAsync(Number(ring.GetProperty("stores").GetInt32()));
            foreach (var state in States)
                await Expect(row.Locator($"td[data-state='{state}']")).ToHaveTextAsync(Number(Count(ring.GetProperty("states"), state)));
        }
        var stores = cli.GetProperty("stores").EnumerateArray().ToList();
        foreach (var state in States)
        {
            var expected = stores.Count(s => s.GetProperty("state").GetString() == state);
            await Expect(page.Locator($"#state-tiles [data-state='{state}']")).ToHaveTextAsync(Number(expected));
            var regions = await page.Locator($"#regions-table tbody td[data-state='{state}']").AllTextContentsAsync();
            Assert.Equal(expected, regions.Sum(Parse));
        }
        var regionTotals = await page.Locator("#regions-table tbody td[data-state='total']").AllTextContentsAsync();
        Assert.Equal(stores.Count, regionTotals.Sum(Parse));
        Assert.Contains(stores, s => s.GetProperty("state").GetString() == "ready");
        await DashboardBrowser.ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task RolloutView_RolloutStartedOverTheApi_ShowsItsRingsAdvanceLiveWithoutAReload()
    {
        await lab.Lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.1");
        using var ops = lab.Operator();
        // Frozen, the walk holds its first ring until the test lifts the freeze: the page must show each step as it comes.
        (await ops.PutAsJsonAsync("api/v1/freeze", new { reason = "hold the walk at its first ring" })).EnsureSuccessStatusCode();
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Rollouts" }).ClickAsync();
        await Expect(page.Locator("#rings li.ring")).ToHaveCountAsync(3);
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        var id = await lab.StartRolloutAsync(new { holdTimeout = "1000d" });
        var first = page.Locator("#rings li.ring[data-ring='retail-region-1']");
        await Expect(page.Locator("#rollout-title")).ToContainTextAsync(id);
        await Expect(first).ToHaveAttributeAsync("data-phase", "holding");
        await Expect(first).ToContainTextAsync("freeze");
        await Expect(page.Locator("#rings li.ring[data-ring='all']")).ToHaveAttributeAsync("data-phase", "pending");
        await DashboardBrowser.ScreenshotAsync(page, "rollout-holding");
        (await ops.DeleteAsync("api/v1/freeze")).EnsureSuccessStatusCode();

        foreach (var ring in Rings)
            await Expect(page.Locator($"#rings li.ring[data-ring='{ring}']")).ToHaveAttributeAsync("data-phase", "promoted");
        await Expect(page.Locator("#rollout-title [data-status]")).ToHaveAttributeAsync("data-status", "completed");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
        var promoted = await page.Locator("#timeline li[data-kind='promote'] span:nth-child(3)").AllTextContentsAsync();
        Assert.Equal(Rings, promoted.Reverse());
        await Expect(page.Locator("#rings li.ring[data-ring='all'] table.gates tr[data-verdict='successful']").First).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "rollout");
        // The overview's release and phase per ring come from the status document.
        var status = await ops.GetFromJsonAsync<JsonElement>("api/v1/status?fresh=true");
        Assert.All(status.GetProperty("rings").EnumerateArray(), r =>
        {
            Assert.Contains("pos-app=2.5.1", r.GetProperty("release").GetString(), StringComparison.Ordinal);
            Assert.Equal("promoted", r.GetProperty("phase").GetString());
        });
    }

    [Fact]
    public async Task Actions_ViewerSeesNoneAndAnOperatorsFreeze_AppearsInTheAuditView()
    {
        var viewer = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.ViewerToken);
        await Expect(viewer.Locator("#who")).ToContainTextAsync("dashboard · viewer");
        var ops = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken);
        foreach (var (view, ready) in new[] { ("#/overview", "#overview[data-ready]"), ("#/rollouts", "#rings li.ring") })
        {
            foreach (var page in new[] { viewer, ops })
            {
                await page.EvaluateAsync($"() => {{ location.hash = '{view}'; }}");
                await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            }
            // The same view, rendered from the same data: the operator's has the actions, the viewer's has none.
            Assert.NotEqual(0, await Actions(ops).CountAsync());
            Assert.Equal(0, await Actions(viewer).CountAsync());
        }

        await ops.EvaluateAsync("() => { location.hash = '#/overview'; }");
        await ops.GetByRole(AriaRole.Button, new() { Name = "Freeze…" }).ClickAsync();
        var dialog = ops.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Reason (recorded in the audit log)").FillAsync("store peak: Black Friday");
        await DashboardBrowser.ScreenshotAsync(ops, "confirm-freeze");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Freeze" }).ClickAsync();
        var made = dialog.Locator("[data-testid='audit-entry-made']");
        await Expect(made).ToContainTextAsync("freeze");
        await Expect(made).ToContainTextAsync("by ops");
        await Expect(made).ToContainTextAsync("store peak: Black Friday");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        // Closing the dialog redraws the overview at once (well before its 15 s refresh).
        await Expect(ops.Locator("#freeze-banner")).ToContainTextAsync("store peak: Black Friday", new() { Timeout = 5_000 });

        await ops.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        await ops.GetByLabel("Action").SelectOptionAsync("freeze");
        var entry = ops.Locator("#audit-result tr[data-action='freeze']").First;
        await Expect(entry).ToContainTextAsync("ops");
        await Expect(entry).ToContainTextAsync("store peak: Black Friday");
        await Expect(ops.Locator("#chain [data-intact='true']")).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(ops, "audit");
        using var http = lab.Operator();
        var audit = await http.GetFromJsonAsync<JsonElement>("api/v1/audit?action=freeze&limit=1");
        Assert.Equal("ops", audit.GetProperty("entries")[0].GetProperty("record").GetProperty("actor").GetString());
        (await http.DeleteAsync("api/v1/freeze")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Audit_ViewerDownloadsTheComplianceReport_BothFilesAreTheServicesEvidence()
    {
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.ViewerToken);
        await page.EvaluateAsync("() => { location.hash = '#/audit'; }");
        await Expect(page.Locator("#chain [data-intact='true']")).ToBeVisibleAsync();
        using var http = lab.Viewer();
        var status = await http.GetFromJsonAsync<JsonElement>("api/v1/status");
        var stack = status.GetProperty("stack").GetString();

        var html = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download report (HTML)" }).ClickAsync());
        Assert.Equal($"compliance-{stack}.html", html.SuggestedFilename);
        var text = await File.ReadAllTextAsync(await html.PathAsync());
        Assert.Contains($"<title>Compliance evidence: {stack} ", text, StringComparison.Ordinal);
        Assert.Contains("id=\"audit-chain\">Audit log verified", text, StringComparison.Ordinal);

        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download report (JSON)" }).ClickAsync());
        Assert.Equal($"compliance-{stack}.json", json.SuggestedFilename);
        using var downloaded = JsonDocument.Parse(await File.ReadAllTextAsync(await json.PathAsync()));
        var fromApi = await http.GetFromJsonAsync<JsonElement>("api/v1/report?format=json");
        var report = downloaded.RootElement;
        Assert.True(report.GetProperty("auditIntact").GetBoolean());
        Assert.NotEqual(0, report.GetProperty("stores").GetArrayLength());
        foreach (var field in new[] { "stack", "auditEntries" })
            Assert.Equal(fromApi.GetProperty(field).ToString(), report.GetProperty(field).ToString());
        Assert.Equal(fromApi.GetProperty("stores").GetArrayLength(), report.GetProperty("stores").GetArrayLength());
        Assert.Equal(fromApi.GetProperty("releases").GetArrayLength(), report.GetProperty("releases").GetArrayLength());
    }

    [Fact]
    public async Task Actions_OperatorUnfreezesAndUnholds_EachAuditedAndGoneFromTheOverview()
    {
        const string Held = "pos-app=9.9.9";
        using var http = lab.Operator();
        (await http.PutAsJsonAsync("api/v1/freeze", new { reason = "inventory count" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("api/v1/holds", new { releases = new[] { Held }, reason = "crashes on the old tills" })).EnsureSuccessStatusCode();
        try
        {
            var ops = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken);
            await Expect(ops.Locator("#freeze-banner")).ToContainTextAsync("inventory count");

            await ops.GetByRole(AriaRole.Button, new() { Name = "Unfreeze…" }).ClickAsync();
            var dialog = ops.GetByRole(AriaRole.Dialog);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Unfreeze" }).ClickAsync();
            var made = dialog.Locator("[data-testid='audit-entry-made']");
            await Expect(made).ToContainTextAsync("unfreeze");
            await Expect(made).ToContainTextAsync("by ops");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
            await Expect(ops.Locator("#freeze-banner")).ToHaveCountAsync(0, new() { Timeout = 5_000 });

            await ops.GetByRole(AriaRole.Button, new() { Name = $"Unhold {Held}…" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Unhold" }).ClickAsync();
            await Expect(made).ToContainTextAsync("unhold");
            await Expect(made).ToContainTextAsync(Held);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
            await Expect(ops.GetByRole(AriaRole.Button, new() { Name = $"Unhold {Held}…" })).ToHaveCountAsync(0, new() { Timeout = 5_000 });

            // What the service holds, not only what the page shows.
            // No freeze: the document leaves the field out.
            var freeze = await http.GetFromJsonAsync<JsonElement>("api/v1/freeze");
            Assert.False(freeze.TryGetProperty("freeze", out var left) && left.ValueKind != JsonValueKind.Null, freeze.ToString());
            Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/v1/holds")).EnumerateArray());
            var unhold = (await http.GetFromJsonAsync<JsonElement>("api/v1/audit?action=unhold&limit=1")).GetProperty("entries")[0].GetProperty("record");
            Assert.Equal("ops", unhold.GetProperty("actor").GetString());
        }
        finally
        {
            await http.DeleteAsync("api/v1/freeze");
            await http.DeleteAsync($"api/v1/holds/{Uri.EscapeDataString(Held)}");
        }
    }

    [Fact]
    public async Task Keyboard_SignInAndNavigation_WorkWithoutAMouseWithAVisibleFocus()
    {
        var page = await lab.Browser.OpenAsync(lab.Service.Url);
        await page.Keyboard.TypeAsync(DashboardFixture.ViewerToken);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#overview[data-ready]")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => location.href.includes('" + DashboardFixture.ViewerToken + "') ? location.href : null"));

        // Each view puts the focus on its heading, so a screen reader announces where the user is.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Fleet overview", Level = 1 })).ToBeFocusedAsync();
        foreach (var _ in new[] { "Sign out", "Audit", "Stores" }) await page.Keyboard.PressAsync("Shift+Tab");
        var stores = page.GetByRole(AriaRole.Link, new() { Name = "Stores" });
        await Expect(stores).ToBeFocusedAsync();
        Assert.Equal("solid", await stores.EvaluateAsync<string>("a => getComputedStyle(a).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stores", Level = 1 })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Ring")).ToBeFocusedAsync();

        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await skip.FocusAsync();
        Assert.True(await skip.EvaluateAsync<bool>("a => a.getBoundingClientRect().left >= 0"), "the focused skip link is off screen");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
        Assert.StartsWith("#/stores", await page.EvaluateAsync<string>("() => location.hash"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task EveryView_AxeScan_HasNoSeriousOrCriticalViolation(ColorScheme scheme)
    {
        var suffix = scheme == ColorScheme.Dark ? "-dark" : "";
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken, scheme);
        using var http = lab.Viewer();
        var store = (await http.GetFromJsonAsync<JsonElement>("api/v1/stores?pageSize=1")).GetProperty("items")[0].GetProperty("id").GetString();
        var views = new (string Name, string Hash, string Ready)[]
        {
            ("overview", "#/overview", "#overview[data-ready]"),
            ("rollouts", "#/rollouts", "#rings li.ring"),
            ("stores", "#/stores", "#stores-table[data-page]"),
            ("store", $"#/stores/{store}", "#store-facts"),
            ("audit", "#/audit", "#audit-result[data-ready]"),
        };
        var violations = new List<string>();
        foreach (var (name, hash, ready) in views)
        {
            await page.EvaluateAsync($"() => {{ location.hash = '{hash}'; }}");
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            violations.AddRange((await DashboardBrowser.SeriousViolationsAsync(page)).Select(v => $"{name}{suffix}: {v}"));
            await DashboardBrowser.ScreenshotAsync(page, $"axe-{name}{suffix}");
        }
        await page.EvaluateAsync("() => { location.hash = '#/overview'; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Freeze…" }).ClickAsync();
        violations.AddRange((await DashboardBrowser.SeriousViolationsAsync(page)).Select(v => $"confirmation dialog{suffix}: {v}"));
        await DashboardBrowser.ScreenshotAsync(page, $"confirm-dialog{suffix}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByLabel("Service token")).ToBeVisibleAsync();
        violations.AddRange((await DashboardBrowser.SeriousViolationsAsync(page)).Select(v => $"sign-in{suffix}: {v}"));
        await DashboardBrowser.ScreenshotAsync(page, $"sign-in{suffix}");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static ILocator Actions(IPage page) =>
        page.Locator("main").GetByRole(AriaRole.Button, new() { NameRegex = new("^(Freeze|Unfreeze|Roll back|Unhold|Approve)") });

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static int Parse(string text) => int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static int Count(JsonElement states, string state) => states.TryGetProperty(state, out var n) ? n.GetInt32() : 0;
}
