namespace EdgeInfra.Tests.Cli;

public sealed class HelpTests
{
    [Theory]
    [InlineData("preview")]
    [InlineData("up")]
    [InlineData("refresh")]
    [InlineData("destroy")]
    [InlineData("history")]
    [InlineData("stack", "export")]
    [InlineData("stack", "ls")]
    [InlineData("config", "set")]
    [InlineData("config", "get")]
    [InlineData("rings", "assign")]
    [InlineData("inventory", "generate")]
    [InlineData("mirror", "warm")]
    [InlineData("mirror", "status")]
    public async Task Help_EveryVerb_PrintsUsageAndExits0(params string[] verb)
    {
        var run = await CliRunner.RunAsync([.. verb, "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Out);
        Assert.Contains(verb[^1], run.Out);
    }

    [Fact]
    public async Task Parse_UnknownOption_Exits2()
    {
        var run = await CliRunner.RunAsync("preview", "--stack", "lab", "--frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--frobnicate", run.Error);
    }
}
