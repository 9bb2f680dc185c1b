using System.Text.RegularExpressions;
using EdgeInfra.Automation;
using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Automation.Previews;

/// <summary>The pull-request comment a preview becomes: always its summary, the diff only as far as GitHub's comment
/// limit allows, and a plain statement of what was cut.</summary>
public sealed partial class MarkdownPreviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_TenThousandStoresMoving_StaysUnderTheLimitKeepsTheSummaryAndCountsWhatItCut()
    {
        var stores = InventoryGenerator.Generate(10_000, 7);
        var preview = MovePreview(stores);

        var markdown = MarkdownPreview.Render(preview);

        Assert.True(markdown.Length <= MarkdownPreview.CommentLimit, $"{markdown.Length} characters");
        // Cut only as far as needed: what is left unused is less than one store's rows.
        Assert.True(markdown.Length > MarkdownPreview.CommentLimit - 1_000, $"only {markdown.Length} characters used");
        Assert.StartsWith("<!-- edgeinfra-preview:prod -->\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| `prod.regional` | 10000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("### Rollout estimate", markdown, StringComparison.Ordinal);
        Assert.Contains("| `temp-promo` | `pos-app` | site `store-x` | ops\\|retail &lt;ops@example.com&gt; | 2027-01-04 (in 15 days) |", markdown, StringComparison.Ordinal);
        var total = 10_000 * 3;
        var shown = RowLine().Matches(markdown).Count;
        var cut = CutLine().Match(markdown);
        Assert.True(cut.Success, "no cut notice");
        Assert.Equal(total - shown, int.Parse(cut.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("run `edgeinfra preview --stack prod --diff` for all", markdown, StringComparison.Ordinal);
        Assert.True(shown > 100, $"only {shown} resources shown");
        Assert.EndsWith("```\n\n" + cut.Value + "\n\n</details>\n", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4_000)]
    [InlineData(9_000)]
    [InlineData(20_000)]
    public void Render_SmallerLimits_NeverExceedTheLimitAndCloseEveryBlock(int limit)
    {
        var markdown = MarkdownPreview.Render(MovePreview(InventoryGenerator.Generate(500, 3)), limit);

        Assert.True(markdown.Length <= limit, $"{markdown.Length} > {limit}");
        Assert.Equal(0, FenceLine().Matches(markdown).Count % 2);
        Assert.EndsWith("</details>\n", markdown, StringComparison.Ordinal);
        Assert.Matches(CutLine(), markdown);
    }

    [Fact]
    public void Render_SmallChange_ShowsTheWholeDiffAndNoCutNotice()
    {
        var markdown = MarkdownPreview.Render(MovePreview(InventoryGenerator.Generate(3, 1)));

        Assert.Equal(9, RowLine().Matches(markdown).Count);
        Assert.DoesNotMatch(CutLine(), markdown);
        Assert.Contains("<details><summary>Full diff: 9 changed resources</summary>", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoChanges_SaysSoWithoutADiff()
    {
        var preview = new StackPreview("lab", [new StackChangeView("lab", null, 0, [], [], new Dictionary<string, int> { ["same"] = 2 }, 2)])
        {
            Facts = new PreviewFacts(Now, TimeSpan.FromMinutes(1), [], [], ["registry zone 'eu': secret not set"]),
        };

        var markdown = MarkdownPreview.Render(preview);

        Assert.Contains("**No changes.**", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<details>", markdown, StringComparison.Ordinal);
        Assert.Contains("- registry zone 'eu': secret not set", markdown, StringComparison.Ordinal);
    }

    /// <summary>Every store moves into the regional ring: its Store row with a Cluster and a device file folded in.</summary>
    private static StackPreview MovePreview(IReadOnlyList<Store> stores)
    {
        var rows = stores.Select(s => new ChangeRow(ChangeOps.Move, "edge:fleet:Store", s.Id, $"urn:{s.Id}", s.Id, "prod.early",
            [new PropertyChange("ring", "update", "early", "regional")], [])
        {
            Children =
            [
                new ChangeRow(ChangeOps.Move, "edge:fleet:Cluster", $"clusters/{s.Id}.yaml", $"urn:c:{s.Id}", s.Id, "prod.early",
                    [new PropertyChange("content", "update", "labels:\n  rollout-ring: early\n  region: x\n", "labels:\n  rollout-ring: regional\n  region: x\n")], []),
                new ChangeRow(ChangeOps.Move, "edge:device:File", $"devices/{s.Id}/config.yaml", $"urn:d:{s.Id}", s.Id, "prod.early", [], []),
            ],
        }).ToList();
        var view = new StackChangeView("prod.regional", "regional", stores.Count, ["pos-app=2.5.0"], rows,
            new Dictionary<string, int> { ["move"] = rows.Count * 3, ["same"] = 12 }, 12);
        var regions = stores.GroupBy(s => s.Region ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        var reach = new RingReach("prod.regional", "regional", stores.Count, regions,
            stores.Count <= RingReach.IdsShown ? [.. stores.Select(s => s.Id)] : [], null, TimeSpan.FromHours(4), TimeSpan.Zero, 0,
            TimeSpan.Zero, TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        var expiring = new ExpiringOverride("temp-promo", "pos-app", "site", "store-x", "ops|retail <ops@example.com>", new DateOnly(2027, 1, 4), 15);
        return new StackPreview("prod", [new StackChangeView("prod", null, 0, [], [], new Dictionary<string, int> { ["same"] = 2 }, 2), view])
        {
            Facts = new PreviewFacts(Now, TimeSpan.FromMinutes(1), [reach], [expiring], []),
        };
    }

    /// <summary>A resource line in the diff: its change mark, then its type.</summary>
    [GeneratedRegex(@"^->\s+edge:", RegexOptions.Multiline)]
    private static partial Regex RowLine();

    [GeneratedRegex(@"^… (\d+) more resources not shown[^\n]*", RegexOptions.Multiline)]
    private static partial Regex CutLine();

    [GeneratedRegex(@"^```", RegexOptions.Multiline)]
    private static partial Regex FenceLine();
}
