// Measures the dashboard in chromium against a running service (no token: a loopback service without tokens).
//   dotnet DashboardBench.dll paint URL      first meaningful paint of the overview, page changes of the stores table
//   dotnet DashboardBench.dll live URL       a lab rollout followed in the rollout view: decision → visible on the page
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

if (args.Length != 2 || args[0] is not ("paint" or "live"))
{
    Console.Error.WriteLine("usage: DashboardBench paint|live URL");
    return 2;
}
var url = args[1].TrimEnd('/');
using var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromMinutes(10) };
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true });
var viewport = new ViewportSize { Width = 1280, Height = 800 };

if (args[0] == "paint")
{
    await http.GetStringAsync("api/v1/status"); // the first hub read, paid once by whoever asks first
    // Time from the navigation's start to the frame after the overview holds the status's numbers.
    const string paintProbe = """
        window.__painted = new Promise(resolve => new MutationObserver((_, observer) => {
          if (!document.querySelector('#overview[data-ready]')) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));
        }).observe(document, { subtree: true, childList: true, attributes: true }));
        """;
    async Task<double> PaintAsync()
    {
        await using var context = await browser.NewContextAsync(new() { ViewportSize = viewport });
        await context.AddInitScriptAsync(paintProbe);
        var page = await context.NewPageAsync();
        await page.GotoAsync(url + "/#/overview");
        return await page.EvaluateAsync<double>("() => window.__painted");
    }
    var warm = new List<double>();
    for (var i = 0; i < 7; i++)
    {
        await http.GetStringAsync("api/v1/status"); // a snapshot younger than 5 s: the page's status call is served from it
        warm.Add(await PaintAsync());
    }
    Report("overview first meaningful paint, status snapshot warm (new browser context each: no cache)", warm);
    var stale = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        await Task.Delay(TimeSpan.FromSeconds(6)); // older than 5 s: answered at once, re-read behind it
        stale.Add(await PaintAsync());
    }
    Report("overview first meaningful paint, status snapshot 6 s old (answered at once, re-read in the background)", stale);
    var invalidated = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        // A decision (freeze, then unfreeze) drops the snapshot: this load's status call waits for a hub read.
        (await http.PutAsJsonAsync("api/v1/freeze", new { reason = "dashboard bench" })).EnsureSuccessStatusCode();
        (await http.DeleteAsync("api/v1/freeze")).EnsureSuccessStatusCode();
        invalidated.Add(await PaintAsync());
    }
    Report("overview first meaningful paint right after a decision (the page's status call reads the hub)", invalidated);

    await using var storesContext = await browser.NewContextAsync(new() { ViewportSize = viewport });
    var stores = await storesContext.NewPageAsync();
    foreach (var (label, hash) in new[] { ("stores table page change (sorted by id)", "#/stores"), ("stores table page change (filtered by state, sorted by last seen, descending)", "#/stores?state=pending&sort=lastSeen&desc=true") })
    {
        await stores.GotoAsync(url + "/" + hash);
        await stores.WaitForSelectorAsync("#stores-table[data-page='1']");
        var pages = int.Parse((await stores.TextContentAsync("#page-position"))!.Split(' ')[^1].Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        var changes = new List<double>();
        for (var n = 2; n <= Math.Min(21, pages); n++)
            changes.Add(await stores.EvaluateAsync<double>("""
                async n => {
                  const t = performance.now();
                  document.getElementById('next-page').click();
                  await new Promise(resolve => {
                    const check = () => document.getElementById('stores-table').dataset.page === String(n) ? resolve() : requestAnimationFrame(check);
                    check();
                  });
                  await new Promise(resolve => requestAnimationFrame(() => resolve()));
                  return performance.now() - t;
                }
                """, n));
        Report($"{label}, {pages} pages", changes);
    }
    return 0;
}

// live: freeze, start, wait until the page follows the walk held at its first ring, then unfreeze and time every
// decision from the walker's emission (its `emitted` wall time) to the moment its timeline entry is in the page.
(await http.PutAsJsonAsync("api/v1/freeze", new { reason = "dashboard bench: attach before the walk moves" })).EnsureSuccessStatusCode();
using var started = await http.PostAsJsonAsync("api/v1/rollouts", new { holdTimeout = "1000d" });
var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
await using var liveContext = await browser.NewContextAsync(new() { ViewportSize = viewport });
var live = await liveContext.NewPageAsync();
await live.GotoAsync($"{url}/#/rollouts/{id}");
await live.WaitForSelectorAsync("#rings li.ring[data-phase='holding']");
await live.EvaluateAsync("""
    () => {
      window.__delays = [];
      new MutationObserver(records => {
        const now = Date.now();
        for (const r of records) for (const li of r.addedNodes) if (li.dataset?.emitted) window.__delays.push(now - Date.parse(li.dataset.emitted));
      }).observe(document.getElementById('timeline'), { childList: true });
    }
    """);
var clock = Stopwatch.StartNew();
(await http.DeleteAsync("api/v1/freeze")).EnsureSuccessStatusCode();
await live.WaitForSelectorAsync("#live:has-text('Ended')", new() { Timeout = 600_000 });
var delays = await live.EvaluateAsync<double[]>("() => window.__delays");
Console.WriteLine($"rollout {id}: {delays.Length} decisions shown live in {clock.Elapsed.TotalSeconds:F1} s");
Report("live update: walker decision (emitted) → its entry in the page", [.. delays]);
return 0;

static void Report(string what, List<double> ms)
{
    ms.Sort();
    var p = (double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
    Console.WriteLine($"{what}: median {p(0.5):F0} ms, p90 {p(0.9):F0} ms, max {ms[^1]:F0} ms ({ms.Count} rounds)");
}
