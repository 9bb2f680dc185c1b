using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Tests.Providers.Registry;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("registry.example.com/edge/pos-app", "registry.example.com", "edge/pos-app", "2.4.1")]
    [InlineData("registry.example.com:5000/edge/pos-app:1.0", "registry.example.com:5000", "edge/pos-app", "1.0")]
    [InlineData("nginx", "docker.io", "library/nginx", "2.4.1")]
    [InlineData("docker.io/nginx:1.27", "docker.io", "library/nginx", "1.27")]
    [InlineData("rancher/fleet-agent", "docker.io", "rancher/fleet-agent", "2.4.1")]
    [InlineData("localhost/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "localhost", "x",
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parse_ImageNames_SplitLikeContainerd(string text, string host, string repository, string reference)
    {
        var image = ImageReference.Parse(text, "2.4.1");

        Assert.Equal((host, repository, reference), (image.Host, image.Repository, image.Reference));
    }

    [Theory]
    [InlineData("registry.example.com/Edge/App")]
    [InlineData("registry.example.com/edge/app:bad tag")]
    [InlineData("registry.example.com/edge/app@sha256:short")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingTheImage(string text)
    {
        var e = Assert.Throws<FormatException>(() => ImageReference.Parse(text));
        Assert.Contains(text.Split(' ')[0], e.Message);
    }

    [Fact]
    public void ParseParameters_QuotedCommas_StayInValue()
    {
        var p = RegistryChallenge.ParseParameters("""realm="https://auth.example.com/token",service="registry",scope="repository:a/b:pull,push" """);

        Assert.Equal("https://auth.example.com/token", p["realm"]);
        Assert.Equal("repository:a/b:pull,push", p["scope"]);
    }
}
