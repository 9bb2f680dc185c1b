using System.Globalization;
using System.Net.Http.Json;
using EdgeInfra.Tests.Service;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>The rollout view's event stream survives the service: restarted mid-rollout, the page reconnects by itself
/// and shows every later decision, each once.</summary>
public sealed class DashboardReconnectTests(UnreleasedDashboard lab) : IClassFixture<UnreleasedDashboard>
{
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];

    [Fact]
    public async Task RolloutView_ServiceRestartedMidRollout_ReconnectsAndShowsEveryLaterDecisionOnceWithoutAReload()
    {
        using (var ops = lab.Operator())
            (await ops.PutAsJsonAsync("api/v1/freeze", new { reason = "hold the walk across a restart" })).EnsureSuccessStatusCode();
        var page = await lab.Browser.SignInAsync(lab.Service.Url, DashboardFixture.OperatorToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Rollouts" }).ClickAsync();
        await Expect(page.Locator("#no-rollout")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        var id = await lab.StartRolloutAsync(new { holdTimeout = "1000d" });
        await Expect(page.Locator("#rollout-title")).ToContainTextAsync(id);
        await Expect(page.Locator("#rings li.ring[data-ring='retail-region-1']")).ToHaveAttributeAsync("data-phase", "holding");
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-connection", "live");
        // Every state the stream's connection goes through from here on.
        await page.EvaluateAsync("""
            () => {
              const live = document.getElementById('live');
              window.connections = [];
              new MutationObserver(() => window.connections.push(live.dataset.connection))
                .observe(live, { attributes: true, attributeFilter: ['data-connection'] });
            }
            """);

        var seen = await page.Locator("#timeline li").First.GetAttributeAsync("data-event-id");
        Assert.NotNull(seen);
        var restarted = await lab.RestartServiceAsync();
        // The new process resumed the walk, still frozen; lifting the freeze lets it promote every ring.
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-connection", "live");
        using (var ops = lab.Operator())
            (await ops.DeleteAsync("api/v1/freeze")).EnsureSuccessStatusCode();
        foreach (var ring in Rings)
            await Expect(page.Locator($"#rings li.ring[data-ring='{ring}']")).ToHaveAttributeAsync("data-phase", "promoted");
        await Expect(page.Locator("#rollout-title [data-status]")).ToHaveAttributeAsync("data-status", "completed");
        await DashboardBrowser.ScreenshotAsync(page, "rollout-after-restart");

        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
        var connections = await page.EvaluateAsync<string[]>("() => window.connections");
        Assert.Equal(["reconnecting", "live"], connections.Distinct());
        // The page shows each decision once: those of the old process before the restart, then exactly those the new
        // process streams (it replays its resumed walk from the start to whoever follows it).
        var shown = (await page.Locator("#timeline li").EvaluateAllAsync<string[][]>(
            "items => items.map(li => [li.dataset.kind, li.dataset.emitted, li.textContent])")).Reverse().ToList();
        Assert.Equal(shown.Count, shown.Select(e => string.Join('|', e)).Distinct().Count());
        using var viewer = lab.Viewer();
        var streamed = new List<(string?, string?)>();
        await foreach (var e in ServiceProcess.EventsAsync(viewer, id))
            streamed.Add((e.GetProperty("kind").GetString(), e.GetProperty("emitted").GetString()));
        var afterRestart = shown.Where(e => DateTimeOffset.Parse(e[1], CultureInfo.InvariantCulture) > restarted).Select(e => ((string?)e[0], (string?)e[1])).ToList();
        Assert.Equal(streamed, afterRestart);
        // What the page asked the new process for when it reconnected: the events after the last id it had seen, which
        // names the old process's log, so the new one sends all of its own, even once it has more than the old one had.
        var resumed = new List<(string?, string?)>();
        await foreach (var e in ServiceProcess.EventsAsync(viewer, id, lastEventId: seen))
            resumed.Add((e.GetProperty("kind").GetString(), e.GetProperty("emitted").GetString()));
        Assert.True(streamed.Count > long.Parse(seen[(seen.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture),
            $"the new process's log ({streamed.Count} events) must outgrow the old one's ({seen}) for this check to mean anything");
        Assert.Equal(streamed, resumed);
        Assert.Contains(shown, e => e[0] == "hold" && DateTimeOffset.Parse(e[1], CultureInfo.InvariantCulture) < restarted);
        Assert.Equal(Rings.Length, afterRestart.Count(e => e.Item1 == "promote"));
    }
}
