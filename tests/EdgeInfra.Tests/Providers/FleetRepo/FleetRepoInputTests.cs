using EdgeInfra.Engine;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>The fleet repo provider refuses bad input and bad setups, reporting what is wrong, before any damage.</summary>
public sealed class FleetRepoInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetRepoTestKit _kit;
    private readonly BareRepo _remote;

    public FleetRepoInputTests()
    {
        var path = _dir.Combine("project", ".edgeinfra", "fleet.git");
        _kit = new FleetRepoTestKit(path);
        _remote = new BareRepo(path);
    }

    public void Dispose()
    {
        _kit.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CreateAsync_SamePathTwiceWithDifferentContent_ThrowsInputException()
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("x.yaml", "one\n"), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("x.yaml", "one\n"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<InputException>(() => provider.CreateAsync(FleetRepoTestKit.File("x.yaml", "two\n"), CancellationToken.None).AsTask());

        Assert.Contains("'x.yaml' is written twice", e.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/etc/passwd", "is absolute")]
    [InlineData("apps/../../x", "contains '..'")]
    [InlineData("apps/./x", "contains '.'")]
    [InlineData("apps//x", "empty segment")]
    [InlineData("apps\\x", "contains '\\'")]
    [InlineData("apps/", "ends with '/'")]
    [InlineData(".git/config", "points into '.git'")]
    [InlineData("a/.GIT/hooks/x", "points into '.git'")]
    public async Task CreateAsync_InvalidPath_ThrowsInputExceptionNamingTheProblem(string path, string problem)
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);

        var e = await Assert.ThrowsAsync<InputException>(() => provider.CreateAsync(FleetRepoTestKit.File(path, "x"), CancellationToken.None).AsTask());

        Assert.Contains(problem, e.Message);
        Assert.Contains("urn:pulumi:prod.canary::edge-infra::edge:fleetrepo:File::", e.Message);
    }

    [Fact]
    public async Task CreateAsync_NoPathNoContent_ReportsBothProblems()
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        var desired = FleetRepoTestKit.File("x", "y") with { Inputs = global::EdgeInfra.Engine.Resources.PropertyMap.Empty };

        var e = await Assert.ThrowsAsync<InputException>(() => provider.CreateAsync(desired, CancellationToken.None).AsTask());

        Assert.Equal(2, e.Problems.Count);
    }

    [Fact]
    public async Task CreateAsync_BeforeBegin_ThrowsInvalidOperation()
    {
        var provider = _kit.Provider();

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync(FleetRepoTestKit.File("x", "y"), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task BeginAsync_LocalRemoteIsNotARepository_ThrowsNamingThePath()
    {
        Directory.CreateDirectory(_remote.Path);
        File.WriteAllText(Path.Combine(_remote.Path, "notes.txt"), "not git");

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => _kit.Provider().BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());

        Assert.Equal($"fleet repo '{_remote.Path}' exists and is not a git repository", e.Message);
    }

    [Fact]
    public async Task BeginAsync_CacheDirIsNotARepository_RefusesToTouchIt()
    {
        var cache = _dir.Combine("not-a-cache");
        Directory.CreateDirectory(cache);
        File.WriteAllText(Path.Combine(cache, "precious.txt"), "keep me");

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => _kit.Provider(_kit.Options(cache)).BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());

        Assert.Contains($"cache '{cache}' exists and is not a git repository", e.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(cache, "precious.txt")));
    }

    [Fact]
    public void Constructor_BadOptions_ReportsEveryProblem()
    {
        var options = new FleetRepoOptions("", "bad..branch", "", "", "nobody", MaxPushAttempts: 0);

        var e = Assert.Throws<InputException>(() => new FleetRepoProvider(options, TimeProvider.System));

        Assert.Equal(6, e.Problems.Count);
    }

    [Fact]
    public async Task BeginAsync_InvalidTrailerKey_FailsBeforeTouchingTheRepo()
    {
        var change = new global::EdgeInfra.Engine.Providers.ChangeDescription("lab", "m", [new("Edge Stack", "lab")]);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _kit.Provider().BeginAsync(change, CancellationToken.None).AsTask());

        Assert.Contains("'Edge Stack' is not a valid git trailer key", e.Message);
        Assert.False(Directory.Exists(_remote.Path));
    }
}
