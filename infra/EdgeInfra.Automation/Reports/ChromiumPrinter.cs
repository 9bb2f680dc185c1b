using System.Diagnostics;

namespace EdgeInfra.Automation.Reports;

/// <summary>Prints an HTML document to PDF with headless chromium's own print (<c>--print-to-pdf</c>), the engine the
/// dashboard's browser tests drive: page breaks and page size come from the document's print CSS.</summary>
/// <remarks>Chromium is run directly rather than through Playwright: one print needs no page scripting, and the CLI then
/// ships without Playwright's driver (hundreds of MB). The browser is <c>EDGEINFRA_CHROMIUM</c>, else Debian's
/// <c>/usr/bin/chromium</c>; it runs in a temp profile that is deleted afterwards.</remarks>
public static class ChromiumPrinter
{
    public const string BrowserVariable = "EDGEINFRA_CHROMIUM";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <exception cref="ReportPrintException">No chromium, or it did not produce the PDF.</exception>
    public static async Task PrintAsync(string html, string pdfPath, CancellationToken ct)
    {
        var browser = Environment.GetEnvironmentVariable(BrowserVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(browser))
            throw new ReportPrintException($"a PDF needs chromium: {browser} does not exist (apt-get install chromium, or set {BrowserVariable})");
        var work = Directory.CreateTempSubdirectory("edgeinfra-report-");
        try
        {
            var page = Path.Combine(work.FullName, "report.html");
            await File.WriteAllTextAsync(page, html, ct);
            var target = Path.GetFullPath(pdfPath);
            File.Delete(target);
            var info = new ProcessStartInfo(browser) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={Path.Combine(work.FullName, "profile")}", "--no-pdf-header-footer",
                         $"--print-to-pdf={target}", new Uri(page).AbsoluteUri,
                     })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info) ?? throw new ReportPrintException($"could not start {browser}");
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(Limit);
            try { await process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested) throw;
                throw new ReportPrintException($"{browser} did not print the report within {Limit.TotalMinutes:0} minutes");
            }
            if (process.ExitCode != 0 || !File.Exists(target) || new FileInfo(target).Length == 0)
                throw new ReportPrintException($"{browser} did not print the report (exit {process.ExitCode}): {(await stderr).Trim()}");
        }
        finally
        {
            try { work.Delete(recursive: true); }
            catch (IOException) { /* chromium may still hold its profile for a moment; the temp dir is the OS's to clean */ }
        }
    }
}

/// <summary>The report could not be printed to PDF; the HTML and JSON formats do not need a browser.</summary>
public sealed class ReportPrintException(string message) : Exception(message);
