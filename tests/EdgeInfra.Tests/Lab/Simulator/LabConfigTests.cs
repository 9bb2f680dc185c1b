using EdgeInfra.Components.Text;
using EdgeInfra.Lab.Config;
using EdgeInfra.Tests.Components;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Tests.Lab.Simulator;

public sealed class LabConfigTests
{
    internal static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    [Fact]
    public void ReadStackFile_ShippedLabStack_HasTheBadReleaseScenario()
    {
        var settings = LabConfigReader.ReadStackFile(Path.Combine(RepoPaths.Root, "Pulumi.lab.yaml"));

        var scenario = settings.Scenario("bad-release");
        var fault = Assert.Single(scenario.Faults);
        Assert.Equal("pos-app", fault.App);
        Assert.Equal("western-europe", fault.Selector["region"]);
        Assert.Equal(FaultEffect.Errors, fault.Effect);
        Assert.True(settings.NetworkTierMbps["satellite"] < settings.NetworkTierMbps["fiber"]);
    }

    [Fact]
    public void Read_EveryKindOfMistake_ListsEachWithItsLine()
    {
        var yaml = """
            seed: -1
            agnets: {}
            networkTiers: {fiber: fast}
            scenarios:
              bad:
                faults:
                  - app: pos-app
                    effect: explode
                offline:
                  - share: 2
                    duration: 1h
            """;

        var e = Assert.Throws<LabConfigException>(() => LabConfigReader.Read(Parse(yaml), "Pulumi.lab.yaml"));

        Assert.Contains(e.Problems, p => p.StartsWith("Pulumi.lab.yaml:1:", StringComparison.Ordinal) && p.Contains("seed"));
        Assert.Contains(e.Problems, p => p.StartsWith("Pulumi.lab.yaml:2:", StringComparison.Ordinal) && p.Contains("unknown field 'agnets'"));
        Assert.Contains(e.Problems, p => p.StartsWith("Pulumi.lab.yaml:3:", StringComparison.Ordinal) && p.Contains("fast"));
        Assert.Contains(e.Problems, p => p.Contains("'version' is required"));
        Assert.Contains(e.Problems, p => p.Contains("'explode' is not an effect"));
        Assert.Contains(e.Problems, p => p.StartsWith("Pulumi.lab.yaml:10:", StringComparison.Ordinal) && p.Contains("between 0 and 1"));
    }

    [Fact]
    public void Scenario_UnknownName_NamesTheKnownOnes()
    {
        var settings = LabConfigReader.Read(Parse("scenarios: {bad-release: {}, offline-30: {}}"), "f.yaml");

        var e = Assert.Throws<LabConfigException>(() => settings.Scenario("bad-relase"));

        Assert.Contains("known: bad-release, offline-30", e.Message);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("15s", 15_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("0", 0)]
    public void TryParse_LabDurationWithMilliseconds_Parses(string text, long millis)
    {
        Assert.True(DurationText.TryParse(text, out var span, allowMilliseconds: true));
        Assert.Equal(TimeSpan.FromMilliseconds(millis), span);
    }
}
