using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>The fleet repo over Git's smart HTTP (the real <c>git http-backend</c>) with token authentication.</summary>
public sealed class FleetRepoHttpTests : IDisposable
{
    private const string Token = "glpat-Http5ecretT0ken";
    private readonly TempDirectory _dir = new();
    private readonly GitHttpServer _server;
    private readonly BareRepo _remote;

    public FleetRepoHttpTests()
    {
        var path = _dir.Combine("fleet.git");
        GitCli.Run(null, "init", "-q", "--bare", "--initial-branch=main", path);
        _remote = new BareRepo(path);
        _server = new GitHttpServer(_dir.Path, "deploy", Token);
    }

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CompleteAsync_TokenCredentials_PushesAndAnotherCacheReadsBack()
    {
        using var kit = new FleetRepoTestKit(_server.UrlFor("fleet.git"));
        var credentials = new FleetRepoCredentials("deploy", Token);
        using var writer = new FleetRepoProvider(kit.Options(), kit.Clock, credentials);
        using var reader = new FleetRepoProvider(kit.Options(), kit.Clock, credentials);

        var sha = await kit.RunAsync(writer, ("hub/gitrepo-canary.yaml", "kind: GitRepo\n"));
        var live = await reader.ReadAsync(FleetRepoTestKit.State("hub/gitrepo-canary.yaml"), CancellationToken.None);

        Assert.Equal(_remote.Tip(), sha);
        Assert.Equal("kind: GitRepo\n", live!.Inputs[FleetRepoProvider.ContentKey]);
    }

    [Fact]
    public async Task CompleteAsync_TokenInUrl_WorksAndStaysOutOfTheCacheConfig()
    {
        using var kit = new FleetRepoTestKit($"http://deploy:{Token}@127.0.0.1:{_server.Port}/fleet.git");
        var options = kit.Options();

        var sha = await kit.RunAsync(kit.Provider(options), ("a.yaml", "a\n"));

        Assert.Equal(_remote.Tip(), sha);
        Assert.DoesNotContain(Token, File.ReadAllText(Path.Combine(options.CacheDir, "config")));
    }

    [Fact]
    public async Task BeginAsync_WrongToken_AuthErrorNamingNeitherToken()
    {
        using var kit = new FleetRepoTestKit(_server.UrlFor("fleet.git"));
        using var provider = new FleetRepoProvider(kit.Options(), kit.Clock, FleetRepoCredentials.FromToken("glpat-Wr0ngT0kenValue", "deploy"));

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());

        Assert.StartsWith($"fleet repo {_server.UrlFor("fleet.git")} (branch main): fetch failed: ", e.Message);
        Assert.EndsWith("(check the fleet repo credentials)", e.Message);
        Assert.DoesNotContain("T0ken", e.ToString());
    }
}
