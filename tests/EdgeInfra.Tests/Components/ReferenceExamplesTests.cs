using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Tests.Components;

/// <summary>The fleet.yaml examples vendored from Fleet's docs: they validate, and lint flags the known traps.</summary>
public sealed class ReferenceExamplesTests
{
    private static string Example(string name) =>
        File.ReadAllText(Path.Combine(RepoPaths.FleetExamples, name));

    public static TheoryData<string> Examples() =>
        [.. Directory.EnumerateFiles(RepoPaths.FleetExamples, "*.fleet.yaml")
            .Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void ValidateFleetYaml_ReferenceExample_IsValid(string name) =>
        Assert.Empty(FleetSchemaValidator.ValidateFleetYaml(Example(name)));

    [Fact]
    public void LintFile_StrictReadinessExample_FlagsZeroAndUnpartitionedClusters()
    {
        IReadOnlyList<FleetCluster> clusters =
        [
            new("demo-1", new Dictionary<string, string> { ["stage"] = "demoRollout" }),
            new("prod-1", new Dictionary<string, string> { ["stage"] = "stable" }),
            new("lab-1", new Dictionary<string, string> { ["stage"] = "lab" }),
        ];
        var rules = FleetLint.LintFile("strict.fleet.yaml", Example("rollout-strict-manual-maxunavailable-0.fleet.yaml"), clusters)
            .Select(f => f.Rule).Order().ToList();
        Assert.Equal([LintRules.MaxUnavailableZero, LintRules.PartitionUnmatched], rules);
    }
}
