using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Tests.Providers.Hub;

public sealed class HubListPartitionsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(9, 2)]
    [InlineData(40, 3)]
    public void Selectors_AnyLabelsOfTheBase_EachObjectMatchesExactlyOneSelector(int values, int seed)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, values).ToDictionary(i => $"b{i}", _ => (long)random.Next(0, 30_000), StringComparer.Ordinal);

        var selectors = HubListPartitions.Selectors("ns=ws", "bundle", weights).Select(s => LabelSelector.Parse(s)).ToList();

        Assert.InRange(selectors.Count, 2, HubListPartitions.MaxGroups + 1);
        for (var i = 0; i < 2000; i++)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["ns"] = random.Next(4) == 0 ? "other" : "ws" };
            if (random.Next(5) > 0) labels["bundle"] = random.Next(3) == 0 ? $"unknown{i}" : $"b{random.Next(values)}";
            var matches = selectors.Count(s => s.Matches(labels));
            Assert.Equal(labels["ns"] == "ws" ? 1 : 0, matches);
        }
    }

    [Fact]
    public void Selectors_UnequalWeights_NoGroupHeavierThanTheHeaviestValueOrAnEvenShare()
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["canary-pos"] = 500, ["canary-kiosk"] = 500, ["early-pos"] = 4500, ["early-kiosk"] = 4500,
            ["regional-pos"] = 20_000, ["regional-kiosk"] = 20_000, ["all-pos"] = 25_000, ["all-kiosk"] = 25_000,
        };

        var groups = HubListPartitions.Selectors(null, "bundle", weights).SkipLast(1)
            .Select(s => s![(s!.IndexOf('(') + 1)..^1].Split(',').Sum(v => weights[v])).ToList();

        Assert.Equal(HubListPartitions.MaxGroups, groups.Count);
        Assert.Equal(weights.Values.Sum(), groups.Sum());
        Assert.Equal(25_000, groups.Max());
    }

    [Theory]
    [InlineData("bad value")]
    [InlineData("a,b")]
    public void Selectors_ValueThatIsNoLabelValue_ReadsTheListWhole(string value) =>
        Assert.Equal(["ns=ws"], HubListPartitions.Selectors("ns=ws", "bundle",
            new Dictionary<string, long>(StringComparer.Ordinal) { ["ok"] = 1, [value] = 1 }));

    [Fact]
    public void Selectors_NoValues_ReadsTheListWhole() =>
        Assert.Equal([null], HubListPartitions.Selectors(null, "bundle", new Dictionary<string, long>(StringComparer.Ordinal)));
}
