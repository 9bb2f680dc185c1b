using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

public sealed class EnvironmentPassphraseSourceTests
{
    [Theory]
    [InlineData("EDGEINFRA_CONFIG_PASSPHRASE", "a")]
    [InlineData("PULUMI_CONFIG_PASSPHRASE", "b")]
    [InlineData("EDGEINFRA_CONFIG_PASSPHRASE_FILE", "from-edge-file")]
    [InlineData("PULUMI_CONFIG_PASSPHRASE_FILE", "from-pulumi-file")]
    public void GetPassphrase_VariablesInPrecedenceOrder_FirstSetWins(string winner, string expected)
    {
        var all = new Dictionary<string, string>
        {
            ["EDGEINFRA_CONFIG_PASSPHRASE"] = "a",
            ["PULUMI_CONFIG_PASSPHRASE"] = "b",
            ["EDGEINFRA_CONFIG_PASSPHRASE_FILE"] = "/edge",
            ["PULUMI_CONFIG_PASSPHRASE_FILE"] = "/pulumi",
        };
        var order = all.Keys.ToList();
        var env = all.Where(kv => order.IndexOf(kv.Key) >= order.IndexOf(winner)).ToDictionary();
        var files = new Dictionary<string, string> { ["/edge"] = "from-edge-file\n", ["/pulumi"] = "from-pulumi-file\r\n" };

        var source = new EnvironmentPassphraseSource(n => env.GetValueOrDefault(n), f => files[f]);

        Assert.Equal(expected, source.GetPassphrase());
    }

    [Fact]
    public void GetPassphrase_NothingSet_IsNull()
    {
        Assert.Null(new EnvironmentPassphraseSource(_ => null, _ => throw new InvalidOperationException()).GetPassphrase());
    }

    [Fact]
    public void GetPassphrase_EmptyVariable_IsAnEmptyPassphraseAsInPulumi()
    {
        Assert.Equal("", new EnvironmentPassphraseSource(n => n == "PULUMI_CONFIG_PASSPHRASE" ? "" : null).GetPassphrase());
    }

    [Fact]
    public void GetPassphrase_UnreadableFile_NamesTheVariable()
    {
        var source = new EnvironmentPassphraseSource(
            n => n == "EDGEINFRA_CONFIG_PASSPHRASE_FILE" ? "/nope/missing" : null, _ => throw new FileNotFoundException("not found"));
        var e = Assert.Throws<ConfigException>(source.GetPassphrase);
        Assert.StartsWith("unable to read EDGEINFRA_CONFIG_PASSPHRASE_FILE '/nope/missing'", e.Message);
    }
}
