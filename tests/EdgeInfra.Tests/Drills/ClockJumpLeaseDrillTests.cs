using System.Diagnostics;
using EdgeInfra.Engine.State;
using EdgeInfra.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Drills;

/// <summary>Drill: the host clock jumps (an NTP step, a VM resumed after a pause) while a stack lock is held.</summary>
/// <remarks>The host clock cannot be changed safely on a shared machine, so each party reads its own injected
/// <see cref="TimeProvider"/>: the holder's clock stays where it was when it last renewed, the contender's has jumped.
/// The holder is a real live process on this host (a <c>sleep</c>), the way a running <c>up</c> is.</remarks>
public sealed class ClockJumpLeaseDrillTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _dir = new("edgeinfra-clock-");
    private readonly Process _holder = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;

    private string LockPath => Path.Combine(_dir.Path, "prod.canary.json");

    [Theory]
    [InlineData(6)]
    [InlineData(60 * 24)]
    public async Task Acquire_ClockJumpedForwardPastTheLeaseOfALiveHolderOnThisHost_Refused(int minutes)
    {
        await using var held = FileStackLock.Acquire("prod.canary", LockPath, Holder(_holder.Id), new FakeTimeProvider(Start), Lease);
        var jumped = new FakeTimeProvider(Start + TimeSpan.FromMinutes(minutes));

        var refused = Assert.Throws<StackLockedException>(() => FileStackLock.Acquire("prod.canary", LockPath, LockHolder.Current("bob", "up"), jumped, Lease));

        Assert.Equal(_holder.Id, refused.Holder?.Holder.Pid);
    }

    [Fact]
    public async Task Acquire_ClockJumpedBackAfterTheHolderWasKilled_TakenOverAtOnce()
    {
        var lockHeld = FileStackLock.Acquire("prod.canary", LockPath, Holder(_holder.Id), new FakeTimeProvider(Start), Lease);
        _holder.Kill();
        await _holder.WaitForExitAsync();
        var jumpedBack = new FakeTimeProvider(Start - TimeSpan.FromHours(3));

        await using var taken = FileStackLock.Acquire("prod.canary", LockPath, LockHolder.Current("bob", "up"), jumpedBack, Lease);

        Assert.Equal("bob", taken.Info.Holder.Actor);
        await lockHeld.DisposeAsync(); // the killed holder's handle: releasing it must not free bob's lock
        Assert.Equal("bob", FileStackLock.TryRead(LockPath)?.Holder.Actor);
    }

    private static LockHolder Holder(int pid) => new("alice", Environment.MachineName, pid, "up");

    public void Dispose()
    {
        if (!_holder.HasExited) _holder.Kill();
        _holder.Dispose();
        _dir.Dispose();
    }
}
