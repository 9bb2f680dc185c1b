namespace EdgeInfra.Tests.Fixtures;

/// <summary>The git daemon fixture fails loudly, never silently skips.</summary>
public sealed class GitDaemonFixtureTests
{
    [Fact]
    public async Task InitializeAsync_DaemonMissing_FailsNamingTheDebianPackage()
    {
        var fixture = new GitDaemonFixture(() => null);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);
        await fixture.DisposeAsync();

        Assert.Contains("git-daemon is not installed", e.Message);
        Assert.Contains("Debian package 'git'", e.Message);
    }

    [Fact]
    public async Task InitializeAsync_DaemonExitsAtOnce_FailsWithItsLog()
    {
        var fixture = new GitDaemonFixture(() => "/bin/false");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);
        await fixture.DisposeAsync();

        Assert.Contains("did not accept connections", e.Message);
        Assert.Contains("[fixture] started /bin/false", e.Message);
        Assert.Contains("[fixture] git daemon exited with 1", e.Message);
    }
}
