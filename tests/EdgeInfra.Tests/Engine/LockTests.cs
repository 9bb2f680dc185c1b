using System.Text.Json;
using EdgeInfra.Engine.State;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Engine;

public sealed class LockTests
{
    [Fact]
    public async Task LockAsync_TwoRacers_ExactlyOneWinsAndTheLoserNamesTheHolder()
    {
        using var f = new EngineFixture();
        for (var round = 0; round < 20; round++)
        {
            using var start = new ManualResetEventSlim();
            var racers = new[] { "alice", "bob" }.Select(actor => Task.Run(async () =>
            {
                start.Wait();
                try { return (actor, Lock: await f.Backend.LockAsync("prod.canary", new LockHolder(actor, "host", 4242, "up")), Error: (Exception?)null); }
                catch (StackLockedException e) { return (actor, Lock: (IStackLock?)null, Error: (Exception?)e); }
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(racers);

            var winner = Assert.Single(results, r => r.Lock is not null);
            var loser = Assert.Single(results, r => r.Error is not null);
            Assert.Equal(
                $"stack prod.canary is locked by {winner.actor}@host (pid 4242, up) since 2026-12-01T18:00:00Z; lease expires 2026-12-01T18:05:00Z",
                loser.Error!.Message);
            await winner.Lock!.DisposeAsync();
        }
    }

    [Fact]
    public async Task LockAsync_AfterRelease_CanBeTakenAgain()
    {
        using var f = new EngineFixture();
        await (await f.Backend.LockAsync("dev", LockHolder.Current("a", "up"))).DisposeAsync();

        await using var again = await f.Backend.LockAsync("dev", LockHolder.Current("b", "up"));

        Assert.Equal("b", again.Info.Holder.Actor);
    }

    [Fact]
    public async Task LockAsync_ExpiredLease_IsTakenOver()
    {
        using var f = new EngineFixture();
        // The crashed holder ran elsewhere (another host): only its lease can free the stack.
        var crashedClock = new FakeTimeProvider(f.Time.GetUtcNow());
        var crashed = new FileStateBackend(f.Root, EngineFixture.Project, crashedClock, null);
        _ = await crashed.LockAsync("dev", new LockHolder("alice", "other-host", 4242, "up"));

        await Assert.ThrowsAsync<StackLockedException>(async () => await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up")));
        f.Time.Advance(TimeSpan.FromMinutes(6));
        await using var taken = await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up"));

        Assert.Equal("bob", taken.Info.Holder.Actor);
    }

    [Fact]
    public async Task LockAsync_HolderPidDeadOnThisHost_IsTakenOverBeforeTheLeaseEnds()
    {
        using var f = new EngineFixture();
        var crashedClock = new FakeTimeProvider(f.Time.GetUtcNow());
        var crashed = new FileStateBackend(f.Root, EngineFixture.Project, crashedClock, null);
        _ = await crashed.LockAsync("dev", new LockHolder("alice", Environment.MachineName, int.MaxValue - 7, "up"));

        await using var taken = await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up"));

        Assert.Equal("bob", taken.Info.Holder.Actor);
    }

    [Fact]
    public async Task LockAsync_TakeoverGuardLeftByKilledTaker_IsIgnoredAtOnce()
    {
        using var f = new EngineFixture();
        var crashed = new FileStateBackend(f.Root, EngineFixture.Project, new FakeTimeProvider(f.Time.GetUtcNow()), null);
        _ = await crashed.LockAsync("dev", new LockHolder("alice", Environment.MachineName, int.MaxValue - 7, "up"));
        var lockFile = Directory.GetFiles(f.Root, "dev.lock.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(lockFile + ".takeover", $"{Environment.MachineName} {int.MaxValue - 9}");

        await using var taken = await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up"));

        Assert.Equal("bob", taken.Info.Holder.Actor);
        Assert.False(File.Exists(lockFile + ".takeover"));
    }

    [Fact]
    public async Task LockAsync_TakeoverGuardOfLiveTaker_Refuses()
    {
        using var f = new EngineFixture();
        var crashed = new FileStateBackend(f.Root, EngineFixture.Project, new FakeTimeProvider(f.Time.GetUtcNow()), null);
        _ = await crashed.LockAsync("dev", new LockHolder("alice", Environment.MachineName, int.MaxValue - 7, "up"));
        var lockFile = Directory.GetFiles(f.Root, "dev.lock.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(lockFile + ".takeover", $"{Environment.MachineName} {Environment.ProcessId}");

        var e = await Assert.ThrowsAsync<StackLockedException>(async () => await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up")));

        Assert.Contains("alice", e.Message);
    }

    [Fact]
    public async Task LockAsync_LongUpdate_RenewsItsLease()
    {
        using var f = new EngineFixture();
        await using var held = await f.Backend.LockAsync("dev", LockHolder.Current("alice", "up"));

        for (var i = 0; i < 6; i++) f.Time.Advance(TimeSpan.FromMinutes(2));

        var file = Directory.GetFiles(f.Root, "dev.lock.json", SearchOption.AllDirectories).Single();
        var expires = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("expires").GetDateTimeOffset();
        Assert.True(expires > f.Time.GetUtcNow());
        await Assert.ThrowsAsync<StackLockedException>(async () => await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up")));
    }

    [Fact]
    public async Task UpAsync_StackLocked_IsRefusedWithTheHolder()
    {
        using var f = new EngineFixture();
        await using var held = await f.Backend.LockAsync("dev", new LockHolder("alice", "laptop", 99, "up"));

        var e = await Assert.ThrowsAsync<StackLockedException>(() => f.Engine.UpAsync(new StackSpec("dev").File("a", "1").Build()));

        Assert.StartsWith("stack dev is locked by alice@laptop (pid 99, up) since", e.Message);
        Assert.Empty(f.Provider.Calls);
    }

    [Fact]
    public async Task CompactAsync_AfterTheLeaseWasTakenOver_RefusesToOverwriteTheNewHolder()
    {
        using var f = new EngineFixture();
        var pausedClock = new FakeTimeProvider(f.Time.GetUtcNow());
        var paused = new FileStateBackend(f.Root, EngineFixture.Project, pausedClock, null);
        var held = await paused.LockAsync("dev", new LockHolder("alice", "other-host", 1, "up"));
        var writer = paused.OpenWriter(held);
        f.Time.Advance(TimeSpan.FromMinutes(6));
        await using var taken = await f.Backend.LockAsync("dev", LockHolder.Current("bob", "up"));

        var e = await Assert.ThrowsAsync<StackLockedException>(async () => await writer.CompactAsync(StackSnapshot.Empty("dev")));

        Assert.Contains("lost its lock", e.Message);
        Assert.Equal("bob", e.Holder!.Holder.Actor);
    }
}
