using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>The fleet repo provider against a real <c>git daemon</c> on loopback, including a push race with a second writer.</summary>
[Collection(GitDaemonCollection.Name)]
public sealed class FleetRepoDaemonTests(GitDaemonFixture daemon) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DaemonRepo _repo = daemon.CreateRepo();
    private FleetRepoTestKit? _kit;

    private FleetRepoTestKit Kit => _kit ??= new FleetRepoTestKit(_repo.Url);
    private BareRepo Remote => new(_repo.Path);

    public void Dispose()
    {
        _kit?.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CompleteAsync_OverGitProtocol_PushesAndAnotherCacheFetchesIt()
    {
        var sha = await Kit.RunAsync(Kit.Provider(), ("apps/pos/all/fleet.yaml", "helm: {chart: pos}\n"));

        Assert.Equal(Remote.Tip(), sha);
        var reader = Kit.Provider();
        var live = await reader.ReadAsync(FleetRepoTestKit.State("apps/pos/all/fleet.yaml"), CancellationToken.None);
        Assert.Equal("helm: {chart: pos}\n", live!.Inputs[FleetRepoProvider.ContentKey]);
    }

    [Fact]
    public async Task BeginAsync_ExistingCacheAfterOtherWriterPushed_FetchesTheirCommit()
    {
        var options = Kit.Options();
        await Kit.RunAsync(Kit.Provider(options), ("a.yaml", "a1\n"));
        var theirs = GitCli.CommitAndPush(_repo.Url, "main", _dir.Combine("other"), "other writer", ("b.yaml", "b1\n"));

        var provider = Kit.Provider(options); // same cache dir: a fetch, not a fresh clone
        var ours = await Kit.RunAsync(provider, ("a.yaml", "a2\n"));

        Assert.Equal([theirs], Remote.Parents(ours!));
        Assert.Equal(1, provider.LastPushAttempts);
        Assert.Equal("b1\n", Remote.Show(ours!, "b.yaml"));
    }

    [Fact]
    public async Task CompleteAsync_SecondWriterPushesAfterBegin_RebasesOnTopAndKeepsBothCommits()
    {
        var start = await Kit.RunAsync(Kit.Provider(), ("shared.yaml", "v1\n"), ("theirs.yaml", "t1\n"));
        var provider = Kit.Provider(time: TimeProvider.System);
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("ours.yaml", "o1\n"), CancellationToken.None);
        await provider.UpdateAsync(FleetRepoTestKit.State("shared.yaml", "v1\n"), FleetRepoTestKit.File("shared.yaml", "ours\n"), CancellationToken.None);

        // The second writer wins the race: it pushes between our BeginAsync and our push.
        var theirs = GitCli.CommitAndPush(_repo.Url, "main", _dir.Combine("other"), "hand fix",
            ("theirs.yaml", "t2\n"), ("shared.yaml", "theirs\n"), ("extra/new.yaml", "n\n"));
        var ours = await provider.CompleteAsync(CancellationToken.None);

        Assert.Equal(2, provider.LastPushAttempts);
        Assert.Equal(Remote.Tip(), ours);
        Assert.Equal([theirs], Remote.Parents(ours!));
        Assert.Equal([start!], Remote.Parents(theirs));
        Assert.Equal(["A\tours.yaml", "M\tshared.yaml"], Remote.Diff(ours!));
        Assert.Equal("o1\n", Remote.Show(ours!, "ours.yaml"));
        Assert.Equal("ours\n", Remote.Show(ours!, "shared.yaml"));
        Assert.Equal("t2\n", Remote.Show(ours!, "theirs.yaml"));
        Assert.Equal("n\n", Remote.Show(ours!, "extra/new.yaml"));
        Assert.Contains("Edge-Stack: prod.canary", Remote.Message(ours!));
    }

    [Fact]
    public async Task CompleteAsync_RaceLostOnEveryAttempt_FailsClearlyAfterMaxAttemptsAndLosesNothing()
    {
        await Kit.RunAsync(Kit.Provider(), ("a.yaml", "a\n"));
        var provider = Kit.Provider(Kit.Options() with { MaxPushAttempts = 3 });
        var theirs = new List<string>();
        provider.BeforePush = (attempt, _) =>
        {
            theirs.Add(GitCli.CommitAndPush(_repo.Url, "main", _dir.Combine("other"), $"other {attempt}", ($"other-{attempt}.yaml", "x\n")));
            return ValueTask.CompletedTask;
        };
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("ours.yaml", "o\n"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => provider.CompleteAsync(CancellationToken.None).AsTask());

        Assert.Equal(3, provider.LastPushAttempts);
        Assert.Contains("rejected 3 times", e.Message);
        Assert.Contains(_repo.Url, e.Message);
        Assert.Equal(theirs[^1], Remote.Tip());
        Assert.Equal(4, Remote.CommitCount());
    }

    [Fact]
    public async Task CompleteAsync_SecondWriterMadeTheSameChange_MakesNoCommit()
    {
        await Kit.RunAsync(Kit.Provider(), ("a.yaml", "a\n"));
        var provider = Kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("b.yaml", "b\n"), CancellationToken.None);
        var theirs = GitCli.CommitAndPush(_repo.Url, "main", _dir.Combine("other"), "same", ("b.yaml", "b\n"));

        var result = await provider.CompleteAsync(CancellationToken.None);

        Assert.Equal(theirs, result);
        Assert.Equal(2, Remote.CommitCount());
    }

    [Fact]
    public async Task BeginAsync_RepoNotServed_ThrowsFleetRepoExceptionNamingRemote()
    {
        var missing = $"git://127.0.0.1:{daemon.Port}/no-such-repo.git";
        using var kit = new FleetRepoTestKit(missing);

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => kit.Provider().BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None).AsTask());

        Assert.Contains("fetch failed", e.Message);
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public async Task CompleteAsync_ServerHookDeclines_FailsAtOnceWithTheServersReason()
    {
        await Kit.RunAsync(Kit.Provider(), ("a.yaml", "a\n"));
        var hook = Path.Combine(_repo.Path, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'fleet repo is frozen for the audit' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var provider = Kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("b.yaml", "b\n"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<FleetRepoException>(() => provider.CompleteAsync(CancellationToken.None).AsTask());

        Assert.Equal(1, provider.LastPushAttempts);
        Assert.Contains("push rejected and the branch did not move", e.Message);
        Assert.Contains("refs/heads/main: pre-receive hook declined", e.Message);
        Assert.Equal(1, Remote.CommitCount());
    }
}
