using EdgeInfra.Lab;

namespace EdgeInfra.Tests.Lab.Simulator;

public sealed class LabClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_NewClock_ReadsStartInstant()
    {
        var clock = new LabClock(Start.ToOffset(TimeSpan.FromHours(2)));

        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
    }

    [Fact]
    public async Task Delay_TwoHourBake_PassesAtOnceInVirtualTime()
    {
        var clock = new LabClock(Start);
        var wall = System.Diagnostics.Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromHours(2), clock).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Start + TimeSpan.FromHours(2), clock.GetUtcNow());
        Assert.True(wall.Elapsed < TimeSpan.FromSeconds(5), $"took {wall.Elapsed}");
    }

    [Fact]
    public async Task Delay_LoopOfWaits_SumsVirtualTimeExactly()
    {
        var clock = new LabClock(Start);
        var start = clock.GetTimestamp();

        for (var i = 0; i < 100; i++) await Task.Delay(TimeSpan.FromMinutes(1), clock).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Start + TimeSpan.FromMinutes(100), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(100), clock.GetElapsedTime(start));
    }

    [Fact]
    public async Task CreateTimer_SeveralTimers_FireInDueOrderAtTheirDueTimes()
    {
        var clock = new LabClock(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        var done = new TaskCompletionSource();
        void Record(string name)
        {
            lock (fired)
            {
                fired.Add((name, clock.GetUtcNow()));
                if (fired.Count == 3) done.SetResult();
            }
        }

        clock.AutoAdvance = false;
        using var late = clock.CreateTimer(_ => Record("late"), null, TimeSpan.FromMinutes(30), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => Record("early"), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
        using var tie = clock.CreateTimer(_ => Record("tie"), null, TimeSpan.FromMinutes(30), Timeout.InfiniteTimeSpan);
        clock.AutoAdvance = true;
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["early", "late", "tie"], fired.Select(f => f.Name));
        Assert.Equal([Start.AddMinutes(5), Start.AddMinutes(30), Start.AddMinutes(30)], fired.Select(f => f.At));
    }

    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerPeriodPassed()
    {
        var clock = new LabClock(Start, autoAdvance: false);
        var ticks = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => ticks.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal([Start.AddSeconds(30), Start.AddSeconds(60), Start.AddSeconds(90), Start.AddSeconds(120)], ticks);
        Assert.Equal(Start.AddMinutes(2), clock.GetUtcNow());
    }

    [Fact]
    public void Change_DisposedOrInfinite_NeverFires()
    {
        var clock = new LabClock(Start, autoAdvance: false);
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var parked = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        parked.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.ArmedTimers);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void AdvanceTo_EarlierInstant_NeverMovesBack()
    {
        var clock = new LabClock(Start, autoAdvance: false);

        clock.AdvanceTo(Start.AddHours(1));
        clock.AdvanceTo(Start);

        Assert.Equal(Start.AddHours(1), clock.GetUtcNow());
    }

    [Fact]
    public async Task CancelAfter_OnLabClock_CancelsInVirtualTime()
    {
        var clock = new LabClock(Start);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10), clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Task.Delay(TimeSpan.FromHours(1), clock, cts.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Start.AddMinutes(10), clock.GetUtcNow());
    }

    [Fact]
    public async Task Delay_CreatedOnManyThreads_AllCompleteAtTheirDueTimes()
    {
        var clock = new LabClock(Start, autoAdvance: false);
        var delays = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() => Task.FromResult(Task.Delay(TimeSpan.FromSeconds(i), clock)))));

        clock.AutoAdvance = true;
        await Task.WhenAll(delays).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Start.AddSeconds(50), clock.GetUtcNow());
    }
}
