using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

public sealed class ConfigPathTests
{
    [Theory]
    [InlineData("apps.pos-app.version", "apps", "pos-app|version")]
    [InlineData("edge-infra:rings[0].bake", "edge-infra:rings", "#0|bake")]
    [InlineData("rings[12]", "rings", "#12")]
    [InlineData("a[\"x.y[0]\"].b", "a", "x.y[0]|b")]
    [InlineData("plain", "plain", "")]
    public void Parse_ValidPath_SplitsKeyAndSegments(string path, string key, string segments)
    {
        var parsed = ConfigPath.Parse(path);
        Assert.Equal(key, parsed.Key);
        Assert.Equal(segments, string.Join("|", parsed.Segments.Select(s => s is int i ? $"#{i}" : (string)s)));
    }

    [Theory]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData("a[x]")]
    [InlineData("a[0")]
    [InlineData("[0].a")]
    [InlineData("a[\"x]")]
    public void Parse_MalformedPath_IsRejected(string path)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigPath.Parse(path));
        Assert.StartsWith($"invalid configuration path '{path}'", e.Message);
    }
}
