namespace EdgeInfra.Tests.Cli;

/// <summary><c>edgeinfra inventory generate</c> as a user runs it.</summary>
public sealed class InventoryCommandTests : IDisposable
{
    private readonly LabProject _lab = new();

    [Fact]
    public async Task Generate_RelativeOutputWithCwd_WritesUnderTheCwdNotTheShellsDirectory()
    {
        var run = await _lab.Run("inventory", "generate", "--stack", "lab", "--stores", "3", "--output", "generated/stores.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        var written = Path.Combine(_lab.Dir, "generated", "stores.yaml");
        Assert.True(File.Exists(written), $"expected {written}: {run}");
        Assert.Equal(3, File.ReadAllLines(written).Count(l => l.TrimStart().StartsWith("- id:", StringComparison.Ordinal)));
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "generated", "stores.yaml")));
    }

    public void Dispose() => _lab.Dispose();
}
