using EdgeInfra.Lab.FleetRules.Explain;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Components;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary><c>fleet explain</c> on every <c>Golden/FleetExplain/*.input.json</c>, compared with its <c>*.output.json</c>
/// (EDGEINFRA_UPDATE_GOLDEN=1 rewrites the outputs; review the diff).</summary>
public sealed class FleetExplainGoldenTests
{
    private static string Dir => RepoPaths.GoldenDir("FleetExplain");

    private static IEnumerable<string> Names(string suffix) =>
        Directory.EnumerateFiles(Dir, "*" + suffix).Select(f => Path.GetFileName(f)[..^suffix.Length]).Order(StringComparer.Ordinal);

    public static TheoryData<string> Inputs() => [.. Names(".input.json")];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Explain_GoldenInput_PrintsGoldenOutput(string name)
    {
        var actual = FleetExplain.ExplainText(File.ReadAllText(Path.Combine(Dir, name + ".input.json")));
        var outputPath = Path.Combine(Dir, name + ".output.json");
        if (Golden.Updating)
        {
            File.WriteAllText(outputPath, actual);
            return;
        }
        Assert.True(File.Exists(outputPath), $"{outputPath} missing; run with EDGEINFRA_UPDATE_GOLDEN=1");
        var expected = File.ReadAllText(outputPath);
        Assert.True(expected == actual, $"golden mismatch for {name} (EDGEINFRA_UPDATE_GOLDEN=1 to accept):\n{Golden.Diff(expected, actual)}");
    }

    [Fact]
    public void Inputs_EveryGoldenOutput_HasItsInput()
    {
        Assert.Empty(Names(".output.json").Except(Names(".input.json")));
    }

    [Fact]
    public async Task Cli_GoldenInputFile_PrintsGoldenOutputAndExitsZero()
    {
        var run = await CliRunner.RunAsync("fleet", "explain", "--input", Path.Combine(Dir, "partition-defaults-settled.input.json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(Dir, "partition-defaults-settled.output.json")), run.Out);
    }

    [Fact]
    public async Task Cli_FleetReconcileError_PrintsErrorObjectAndExitsZero()
    {
        var run = await CliRunner.RunAsync("fleet", "explain", "--input", Path.Combine(Dir, "partition-invalid-max-unavailable.input.json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"error\": \"invalid maxUnavailable, must be int or percentage (ending with %): ten\"", run.Out);
    }

    [Theory]
    [InlineData("""{"kind": "partition", "newDeploymentID": "n",""", "input is not valid JSON at line 1")]
    [InlineData("""{"kind": "rollout"}""", "kind: unknown kind 'rollout' (expected one of: partition, state, customization)")]
    [InlineData("""[1]""", "input must be one JSON object")]
    public async Task Cli_BadInput_ExitsTwoWithAClearMessage(string input, string message)
    {
        using var dir = new TempFile(input);

        var run = await CliRunner.RunAsync("fleet", "explain", "--input", dir.Path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Explain_SeveralWrongFields_ListsEveryProblemWithItsPath()
    {
        const string input = """
            {"kind": "partition", "rolloutStrategy": {"maxUnavaliable": 1, "maxNew": "fifty"},
             "clusters": [{"name": "a", "bd": {"ready": "yes"}}, {"labels": {}}, {"name": "a"}], "totalTargets": 9}
            """;

        var ex = Assert.Throws<FleetExplainInputException>(() => FleetExplain.Explain(input));

        Assert.Equal(
        [
            "rolloutStrategy.maxUnavaliable: unknown field (expected one of: maxUnavailable, maxUnavailablePartitions, autoPartitionSize, autoPartitionThreshold, maxNew, partitions)",
            "rolloutStrategy.maxNew: must be an integer, not a string",
            "clusters[0].bd.ready: must be true or false, not a string",
            "clusters[1].name: required string is missing",
            "clusters: cluster 'a' is listed more than once",
            "totalTargets: says 9 but clusters and generate give 3",
            "newDeploymentID: required string is missing",
        ], ex.Problems);
    }

    [Fact]
    public async Task Cli_StdinInput_ReadsTheObjectFromStandardInput()
    {
        using var process = CliRunner.Start(["fleet", "explain", "--input", "-"]);
        await process.StandardInput.WriteAsync(File.ReadAllText(Path.Combine(Dir, "state-states-only.input.json")));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(Dir, "state-states-only.output.json")), await stdout);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"explain-{Guid.NewGuid():N}.json");
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
