using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>What a killed run can leave behind in the cache and the lab's bare repo, and how the next run copes.</summary>
public sealed class FleetRepoCrashLeftoversTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeinfra-leftovers-");

    public void Dispose() => _dir.Dispose();

    private string Remote => _dir.Combine("fleet.git");

    [Fact]
    public async Task Complete_StaleRefLockLeftInLocalRemote_IsRemovedAndPushSucceeds()
    {
        using var kit = new FleetRepoTestKit(Remote);
        await kit.RunAsync(kit.Provider(time: TimeProvider.System), ("a.yaml", "a: 1\n"));
        var lockFile = Path.Combine(Remote, "refs", "heads", "main.lock");
        File.WriteAllText(lockFile, "");
        File.SetLastWriteTimeUtc(lockFile, DateTime.UtcNow.AddMinutes(-5));

        var sha = await kit.RunAsync(kit.Provider(time: TimeProvider.System), ("a.yaml", "a: 2\n"));

        Assert.False(File.Exists(lockFile));
        Assert.Equal(sha, new BareRepo(Remote).Tip());
    }

    [Fact]
    public async Task Complete_FreshRefLockLeftByKilledPusher_IsRemovedUnderThePushLock()
    {
        using var kit = new FleetRepoTestKit(Remote);
        await kit.RunAsync(kit.Provider(time: TimeProvider.System), ("a.yaml", "a: 1\n"));
        var lockFile = Path.Combine(Remote, "refs", "heads", "main.lock");
        File.WriteAllText(lockFile, "");

        var sha = await kit.RunAsync(kit.Provider(time: TimeProvider.System), ("a.yaml", "a: 2\n"));

        Assert.False(File.Exists(lockFile));
        Assert.Equal(sha, new BareRepo(Remote).Tip());
    }

    [Fact]
    public async Task Complete_AnotherPusherHoldsThePushLock_WaitsForItAndLeavesItsFilesAlone()
    {
        using var kit = new FleetRepoTestKit(Remote);
        await kit.RunAsync(kit.Provider(time: TimeProvider.System), ("a.yaml", "a: 1\n"));
        var theirLock = Path.Combine(Remote, "refs", "heads", "main.lock");
        var other = new FileStream(Path.Combine(Remote, "edgeinfra-push.lock-owner"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        File.WriteAllText(theirLock, "");

        var push = kit.RunAsync(kit.Provider(time: TimeProvider.System), ("a.yaml", "a: 2\n"));
        await Task.Delay(300);
        Assert.False(push.IsCompleted);
        Assert.True(File.Exists(theirLock));
        File.Delete(theirLock);
        other.Dispose();
        var sha = await push;

        Assert.Equal(sha, new BareRepo(Remote).Tip());
    }

    [Fact]
    public async Task Begin_FreshRefLockLeftInOwnCache_IsRemovedAtOnce()
    {
        using var kit = new FleetRepoTestKit(Remote);
        var options = kit.Options(_dir.Combine("cache"));
        await kit.RunAsync(kit.Provider(options, TimeProvider.System), ("a.yaml", "a: 1\n"));
        var lockFile = Directory.GetFiles(Path.Combine(options.CacheDir, "refs"), "*", SearchOption.AllDirectories).First() + ".lock";
        File.WriteAllText(lockFile, "");
        File.SetLastWriteTimeUtc(lockFile, DateTime.UtcNow.AddSeconds(-1));

        var sha = await kit.RunAsync(kit.Provider(options, TimeProvider.System), ("a.yaml", "a: 2\n"));

        Assert.False(File.Exists(lockFile));
        Assert.Equal(sha, new BareRepo(Remote).Tip());
    }

    [Fact]
    public async Task Begin_CacheLeftHalfMadeByKilledRun_IsRebuilt()
    {
        using var kit = new FleetRepoTestKit(Remote);
        var options = kit.Options(_dir.Combine("cache"));
        await kit.RunAsync(kit.Provider(options, TimeProvider.System), ("a.yaml", "a: 1\n"));
        File.Delete(Path.Combine(options.CacheDir, "HEAD"));
        Directory.Delete(Path.Combine(options.CacheDir, "objects"), recursive: true);

        var sha = await kit.RunAsync(kit.Provider(options, TimeProvider.System), ("b.yaml", "b: 1\n"));

        Assert.Equal(sha, new BareRepo(Remote).Tip());
        Assert.Equal(["a.yaml", "b.yaml"], new BareRepo(Remote).Files("main"));
    }

    [Fact]
    public async Task Begin_ForeignDirectoryAsCache_IsRefusedUntouched()
    {
        using var kit = new FleetRepoTestKit(Remote);
        var foreign = _dir.Combine("not-a-cache");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "mine");

        await Assert.ThrowsAsync<EdgeInfra.Providers.FleetRepo.FleetRepoException>(
            () => kit.RunAsync(kit.Provider(kit.Options(foreign), TimeProvider.System), ("a.yaml", "a: 1\n")));

        Assert.Equal("mine", File.ReadAllText(Path.Combine(foreign, "notes.txt")));
    }
}
