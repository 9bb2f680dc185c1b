using System.Text.Json;

namespace EdgeInfra.Tests.Cli;

public sealed class PreviewCommandTests : IDisposable
{
    private readonly LabProject _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Preview_FreshLab_ListsEveryRingWithItsStoresAndTouchesNothing()
    {
        var run = await _lab.Run("preview", "--stack", "lab", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var stacks = JsonDocument.Parse(run.Out).RootElement.GetProperty("stacks").EnumerateArray().ToList();
        Assert.Equal(["lab", "lab.retail-region-1", "lab.retail-region-2", "lab.all"], stacks.Select(s => s.GetProperty("stack").GetString()));
        var total = stacks.Skip(1).Sum(s => s.GetProperty("stores").GetInt32());
        Assert.Equal(500, total);
        foreach (var s in stacks.Skip(1))
        {
            var storeRows = s.GetProperty("rows").EnumerateArray().Where(r => r.TryGetProperty("store", out _)).ToList();
            Assert.Equal(s.GetProperty("stores").GetInt32(), storeRows.Count);
            Assert.All(storeRows, r => Assert.Equal("create", r.GetProperty("op").GetString()));
        }
        Assert.False(Directory.Exists(_lab.FleetRepo));
        Assert.False(Directory.Exists(Path.Combine(_lab.Dir, ".edgeinfra", ".pulumi", "stacks")));
    }

    [Fact]
    public async Task Preview_ReleaseBumped_ShowsBundleUpdatesWithLineDiffInEveryRing()
    {
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--all-rings", "--yes")).ExitCode);
        var set = await _lab.Run("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        Assert.True(set.ExitCode == 0, set.ToString());

        var run = await _lab.Run("preview", "--stack", "lab", "--diff");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var ring in new[] { "retail-region-1", "retail-region-2", "all" })
            Assert.Contains($"apps/pos-app/{ring}/fleet.yaml", run.Out);
        Assert.Contains("- ", run.Out);
        Assert.Contains("2.5.0", run.Out);
        Assert.DoesNotContain("hub/clusters/", run.Out);
    }

    [Fact]
    public async Task Preview_FormatJson_PrintsExactlyWhatJsonPrints()
    {
        var alias = await _lab.Run("preview", "--stack", "lab", "--json");
        var format = await _lab.Run("preview", "--stack", "lab", "--format", "json");

        Assert.True(format.ExitCode == 0, format.ToString());
        Assert.Equal(alias.Out, format.Out);
    }

    [Theory]
    [InlineData("--json", "--format", "markdown")]
    [InlineData("--format", "html")]
    public async Task Preview_ConflictingOrUnknownFormat_Exits2NamingIt(params string[] args)
    {
        var run = await _lab.Run(["preview", "--stack", "lab", .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(args[^1], run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Preview_BadInventory_ReportsEveryProblemWithFileAndLineAndExits2()
    {
        _lab.Edit(_lab.LabInventory, text => text
            .Replace("id: store-prague", "id: store-budapest")
            .Replace("country: pt", "country: Por tugal"));

        var run = await _lab.Run("preview", "--stack", "lab");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("store-budapest", run.Error);
        Assert.Contains("stores.yaml:", run.Error);
        Assert.Contains("Por tugal", run.Error);
        Assert.Empty(run.Out.Trim());
    }

    [Fact]
    public async Task Preview_ExpiredOverride_FailsNamingItAndItsOwner()
    {
        _lab.Edit(_lab.LabConfig, text => text.Replace("expires: 2027-03-31", "expires: 2025-03-31"));

        var run = await _lab.Run("preview", "--stack", "lab");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("pos-west-loyalty-pilot", run.Error);
        Assert.Contains("loyalty@example.com", run.Error);
        Assert.Contains("expired", run.Error);
    }

    [Fact]
    public async Task Preview_UnknownRing_Exits2ListingRings()
    {
        var run = await _lab.Run("preview", "--stack", "lab", "--ring", "nope");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("retail-region-1", run.Error);
    }

    [Fact]
    public async Task Preview_MissingStackFile_Exits2()
    {
        var run = await _lab.Run("preview", "--stack", "staging");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("staging", run.Error);
    }
}
