using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Tests.Components;

public sealed class ReleaseVersionTests
{
    [Theory]
    [InlineData("2.4.1")]
    [InlineData("v2.4.1")]
    [InlineData("0.0.0")]
    [InlineData("2.5.0-rc.1")]
    [InlineData("1.0.0-alpha.beta-2")]
    public void IsValid_SemVer_Accepted(string version) => Assert.True(ReleaseVersion.IsValid(version));

    [Theory]
    [InlineData("2.4.1 beta")]
    [InlineData("2.4.1\n")]
    [InlineData("2.4.1\nEdge-Actor: mallory")]
    [InlineData("2.4")]
    [InlineData("01.2.3")]
    [InlineData("2.4.1-")]
    [InlineData("latest")]
    [InlineData("")]
    [InlineData("2.4.1+build.5")]
    [InlineData("1.0.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void IsValid_NotALabelSafeSemVer_Refused(string version) => Assert.False(ReleaseVersion.IsValid(version));

    [Theory]
    [InlineData("1.2.3+build.5", true)]
    [InlineData("1.2.3\n", false)]
    [InlineData("1.2", false)]
    public void IsValidChartVersion_BuildMetadataAllowed(string version, bool valid) =>
        Assert.Equal(valid, ReleaseVersion.IsValidChartVersion(version));
}
