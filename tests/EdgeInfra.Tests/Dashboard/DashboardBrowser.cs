using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>Debian's chromium driven by Playwright: one browser per test class, one context (its own session storage)
/// per signed-in user, screenshots at 1280×800 under the test output's <c>TestResults/dashboard/</c>.</summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private const string DebianPackage = "chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ScreenshotDir => Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");

    /// <summary>Launches chromium; a missing browser fails (it never skips), naming the package to install.</summary>
    public static async Task<DashboardBrowser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: integration tests must run)" : "";
            throw new InvalidOperationException(
                $"chromium is not installed{ci}: install the Debian package '{DebianPackage}' (apt-get install -y {DebianPackage}), " +
                $"which provides {Chromium}; ./test.sh does this when run as root");
        }
        // A page waits for data from a real service: generous, as the 2 cores are shared with the rest of the suite.
        Assertions.SetDefaultExpectTimeout(60_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>A new page in its own context (fresh session storage) at the dashboard, signed in with the token through
    /// the sign-in form, showing the overview.</summary>
    public async Task<IPage> SignInAsync(Uri service, string token, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await OpenAsync(service, scheme);
        await page.GetByLabel("Service token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#overview[data-ready]")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A new page in its own context (fresh session storage) at the dashboard's sign-in form.</summary>
    public async Task<IPage> OpenAsync(Uri service, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = service.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = scheme,
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("Service token")).ToBeFocusedAsync();
        return page;
    }

    /// <summary>Writes the page as it is now to <c>TestResults/dashboard/NAME.png</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png") });
    }

    /// <summary>The serious and critical axe violations of the page as it is now, one line each.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return [.. result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")];
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
