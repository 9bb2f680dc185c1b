using EdgeInfra.Providers.Ssh;

namespace EdgeInfra.Tests.Providers.Ssh;

public sealed class K3sVersionOutputTests
{
    [Theory]
    [InlineData("k3s version v1.30.4+k3s1 (98262b5d)\ngo version go1.22.5\n", "v1.30.4+k3s1")]
    [InlineData("k3s version v1.29.1-rc2+k3s1 (abc)\n", "v1.29.1-rc2+k3s1")]
    [InlineData("", null)]
    [InlineData("sh: 1: k3s: not found\n", null)]
    public void Parse_Output_ReturnsTheVersionTag(string output, string? expected) =>
        Assert.Equal(expected, K3sVersionOutput.Parse(output));

    [Theory]
    [InlineData("v1.30.4+k3s1", true)]
    [InlineData("v1.29.1-rc2+k3s1", true)]
    [InlineData("1.30.4", false)]
    [InlineData("v1.30.4+k3s1; reboot", false)]
    public void IsValidTag_Version_AcceptsReleaseTagsOnly(string version, bool valid) =>
        Assert.Equal(valid, K3sVersionOutput.IsValidTag(version));

    [Theory]
    [InlineData("SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og", "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    [InlineData("ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og=", "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    public void HostKeysNormalize_Fingerprint_ComparesAsOpenSshPrintsIt(string pin, string expected)
    {
        Assert.Equal(expected, HostKeys.Normalize(pin));
        Assert.True(HostKeys.IsValid(pin));
    }
}
