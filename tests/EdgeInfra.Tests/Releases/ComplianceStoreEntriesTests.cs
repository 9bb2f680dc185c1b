using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EdgeInfra.Automation.Reports;

namespace EdgeInfra.Tests.Releases;

/// <summary>The stores section of the page the PDF is printed from: grouped timelines, every store and segment as text.</summary>
public sealed class ComplianceStoreEntriesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);
    private const string Digests = "pos-app=sha256:3bd9784fc533d65690a1039cfe3ed318fb011a9bbd653f37761a0d2a0e257176 " +
                                   "store-baseline=sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private const string Other = "pos-app=sha256:aaaa784fc533d65690a1039cfe3ed318fb011a9bbd653f37761a0d2a0e25aaaa";

    [Fact]
    public void Entries_IdenticalTimelinesInOneRing_ShareAnEntry_GapsOtherRingsAndUnobservedStoresDoNot()
    {
        var steady = new[] { Ran(0, null, Digests) };
        var stores = new[]
        {
            new StoreEvidence("store-a", "canary", steady),
            new StoreEvidence("store-b", "canary", [Ran(0, 5, Digests), Gap(5, 8), Ran(8, null, Digests)]),
            new StoreEvidence("store-c", "canary", steady),
            new StoreEvidence("store-d", "all", steady),
            new StoreEvidence("store-e", "canary", [Ran(0, 5, Digests), Gap(5, 9), Ran(9, null, Digests)]),
            new StoreEvidence("store-f", "all", []),
        };

        var entries = ComplianceStoreEntries.Entries(stores);

        Assert.Equal([["store-a", "store-c"], ["store-b"], ["store-d"], ["store-e"], ["store-f"]], entries.Select(e => e.Stores.ToArray()));
        Assert.Equal(["canary", "canary", "all", "canary", "all"], entries.Select(e => e.Ring));
        Assert.Equal(
            ["2026-11-01 06:00:00Z to 2026-11-01 11:00:00Z: " + Digests, "2026-11-01 11:00:00Z to 2026-11-01 14:00:00Z: offline (gap)",
             "2026-11-01 14:00:00Z to end: " + Digests], entries[1].Lines);
        Assert.Equal(["not observed in the period"], entries[4].Lines);
    }

    [Fact]
    public void Write_ManyStoresAndLongDigests_EveryIdAndDigestWholeOnALineAndNoLineWiderThanThePage()
    {
        var stores = Stores(300);
        var sb = new StringBuilder();

        ComplianceStoreEntries.Write(sb, stores);

        var text = WebUtility.HtmlDecode(string.Concat(Regex.Matches(sb.ToString(), "<pre class=\"entry\">(.*?)</pre>", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value + "\n")));
        var lines = text.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= ComplianceStoreEntries.Width, $"{l.Length} characters: {l}"));
        // Chromium never breaks these lines itself (they fit), so no id or digest is cut at a hyphen.
        var words = lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => w.TrimEnd(',', ':')).ToList();
        Assert.All(stores, s => Assert.Single(words, s.Store));
        foreach (var digest in Digests.Split(' ').Append(Other))
            Assert.Contains(digest, words);
        Assert.Equal(300 / 7, Regex.Matches(text, "offline \\(gap\\)").Count);
    }

    [Fact]
    public async Task RenderForPdf_PrintedByChromium_EveryStoreAndEachOfItsSegmentsWholeInThePdfsText()
    {
        var stores = Stores(300);
        var report = new ComplianceReport("prod", T0, T0.AddDays(30), T0.AddDays(30), true, [], 1, [], stores);
        var dir = Directory.CreateTempSubdirectory("edgeinfra-entries-");
        try
        {
            var pdf = Path.Combine(dir.FullName, "report.pdf");

            await ChromiumPrinter.PrintAsync(ComplianceHtml.RenderForPdf(report), pdf, CancellationToken.None);

            var text = await ComplianceReportTests.Tool("pdftotext", pdf, "-");
            var printed = ComplianceReportTests.PrintedTimelines(text[text.IndexOf("What each store ran", StringComparison.Ordinal)..]);
            Assert.Equal(300, printed.Count);
            foreach (var store in stores)
                Assert.Equal(store.Segments.Select(s => $"{At(s.From)} to {(s.To is { } t ? At(t) : "end")}: {(s.Offline ? "offline (gap)" : s.Digests)}"), printed[store.Store]);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Theory]
    [InlineData("short line", "", "short line")]
    [InlineData("a b", "  ", "  a b")]
    [InlineData("", "  ", "  ")]
    public void Wrap_TextWithinTheWidth_OneLineWithItsIndent(string text, string indent, string expected)
    {
        var sb = new StringBuilder();
        ComplianceStoreEntries.Wrap(sb, text, indent);
        Assert.Equal(expected, sb.ToString());
    }

    [Fact]
    public void Wrap_LongerThanTheWidth_BrokenAtSpacesWithIndentedContinuations_AndAnOverlongWordKeptWhole()
    {
        var word = new string('x', ComplianceStoreEntries.Width + 10);
        var text = string.Join(' ', Enumerable.Repeat("store-at-0001,", 20)) + " " + word + " end";
        var sb = new StringBuilder();

        ComplianceStoreEntries.Wrap(sb, text, "  ");

        var lines = sb.ToString().Split('\n');
        Assert.Equal(text, string.Join(' ', lines.Select(l => l.Trim())));
        Assert.StartsWith("  store-at", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l));
        Assert.All(lines.Where(l => !l.Contains(word, StringComparison.Ordinal)), l => Assert.True(l.Length <= ComplianceStoreEntries.Width, l));
        Assert.Contains("    " + word, lines);
    }

    /// <summary>Stores whose segments carry two digests (lines longer than the page); every seventh has a gap of its own
    /// length, so an entry of its own, the others share one.</summary>
    private static List<StoreEvidence> Stores(int count) => [.. Enumerable.Range(1, count).Select(i => new StoreEvidence($"store-de-{i:0000}", "all",
        i % 7 == 0 ? [Ran(0, 3, Digests), Gap(3, 3 + i), Ran(3 + i, null, Other)] : [Ran(0, null, Digests)]))];

    private static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static StoreSegment Ran(int fromHours, int? toHours, string digests) =>
        new(T0.AddHours(fromHours), toHours is { } t ? T0.AddHours(t) : null, false, "pos-app=2.4.1", digests, "0123456789abcdef0123");

    private static StoreSegment Gap(int fromHours, int toHours) => new(T0.AddHours(fromHours), T0.AddHours(toHours), true, null, null, null);
}
