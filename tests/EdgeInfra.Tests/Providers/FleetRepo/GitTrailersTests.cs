using EdgeInfra.Providers.FleetRepo;

namespace EdgeInfra.Tests.Providers.FleetRepo;

public sealed class GitTrailersTests
{
    [Fact]
    public void Format_MessageAndTrailers_BlankLineThenOneTrailerALine()
    {
        var text = GitTrailers.Format("  Roll out\r\n\r\nBody line\r\n\n", [new("Edge-Stack", "prod.canary"), new("Edge-Stores", "a\nb")]);

        Assert.Equal("Roll out\n\nBody line\n\nEdge-Stack: prod.canary\nEdge-Stores: a b\n", text);
    }

    [Fact]
    public void Format_NoTrailers_MessageOnly()
    {
        Assert.Equal("Roll out\n", GitTrailers.Format("Roll out", []));
    }

    [Theory]
    [InlineData("Edge Stack")]
    [InlineData("Edge:Stack")]
    [InlineData("-Edge")]
    [InlineData("")]
    public void Format_InvalidKey_Throws(string key)
    {
        Assert.Throws<ArgumentException>(() => GitTrailers.Format("m", [new(key, "v")]));
    }

    [Fact]
    public void Parse_FormattedMessage_RoundTrips()
    {
        IReadOnlyList<KeyValuePair<string, string>> trailers = [new("Edge-Stack", "lab.retail-region-1"), new("Edge-Ring", "retail-region-1"), new("Edge-Actor", "")];
        var text = GitTrailers.Format("Subject\n\nBody", trailers);

        Assert.Equal(trailers, GitTrailers.Parse(text));
        Assert.Equal("Subject\n\nBody", GitTrailers.Body(text));
    }

    [Theory]
    [InlineData("Edge-Stack: x")]
    [InlineData("Subject\n\nnot a trailer\nEdge-Stack: x")]
    [InlineData("Subject\n\nEdge-Stack: x\n\nlast paragraph")]
    public void Parse_NoTrailerBlock_Empty(string message)
    {
        Assert.Empty(GitTrailers.Parse(message));
        Assert.Equal(message, GitTrailers.Body(message));
    }

    [Fact]
    public void Parse_ContinuationLine_JoinsValue()
    {
        Assert.Equal([new KeyValuePair<string, string>("Edge-Stores", "store-a store-b")], GitTrailers.Parse("S\n\nEdge-Stores: store-a\n  store-b\n"));
    }
}
