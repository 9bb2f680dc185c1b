using EdgeInfra.Service.Events;

namespace EdgeInfra.Tests.Service;

public sealed class EventLogTests
{
    [Fact]
    public async Task ReadAsync_AfterAnId_ReplaysTheRestThenFollowsLive()
    {
        var log = new EventLog<string>();
        log.Append("start");
        log.Append("apply canary");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var read = Task.Run(async () =>
        {
            var seen = new List<Sequenced<string>>();
            await foreach (var e in log.ReadAsync(afterId: 1, cts.Token)) seen.Add(e);
            return seen;
        });
        await WaitForReaderAsync(log);
        log.Append("promote canary");
        log.Complete();

        Assert.Equal([new(2, "apply canary"), new(3, "promote canary")], await read);
    }

    [Fact]
    public async Task ReadAsync_CompletedLog_GivesWhatIsKeptAndEnds()
    {
        var log = new EventLog<int>(capacity: 3);
        for (var i = 1; i <= 5; i++) log.Append(i);
        log.Complete();

        var seen = new List<long>();
        await foreach (var e in log.ReadAsync(0)) seen.Add(e.Id);

        Assert.Equal([3L, 4L, 5L], seen);
    }

    [Fact]
    public async Task Append_ReaderThatNeverReads_IsCutOffWithoutBlockingTheWriter()
    {
        var log = new EventLog<int>();
        await using var stalled = log.ReadAsync(0).GetAsyncEnumerator();
        var first = stalled.MoveNextAsync().AsTask();
        log.Append(0);
        Assert.True(await first);

        for (var i = 1; i <= EventLog<int>.ReaderQueue + 10; i++) log.Append(i);

        // The writer went on; the stalled reader drains its queue, then learns it was cut off.
        var drained = 0;
        var e = await Assert.ThrowsAsync<ReaderTooSlowException>(async () => { while (await stalled.MoveNextAsync()) drained++; });
        Assert.Equal(EventLog<int>.ReaderQueue, drained);
        Assert.Equal(EventLog<int>.ReaderQueue + 11, log.LastId);
    }

    private static async Task WaitForReaderAsync<T>(EventLog<T> log)
    {
        // Append only once the reader follows live, so the last event travels the live path, not the replay.
        while (log.ReaderCount == 0) await Task.Delay(5);
    }
}
