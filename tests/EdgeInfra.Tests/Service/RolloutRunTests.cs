using EdgeInfra.Service.Rollouts;

namespace EdgeInfra.Tests.Service;

public sealed class RolloutRunTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("2", 0)]                // a bare number names no log
    [InlineData("SELF-2", 2)]
    [InlineData("SELF-3", 3)]
    [InlineData("SELF-4", 0)]           // past the log's end: not this log's
    [InlineData("SELF-x", 0)]
    [InlineData("SELF--1", 0)]
    [InlineData("0badf00d-2", 0)]       // the log of a process before a restart: everything here is new to the client
    public void ResumeAfter_LastEventId_ResumesOnlyWithinTheSameLog(string? lastEventId, long after)
    {
        var run = new RolloutRun(new RolloutRecord("ro-1", "lab", "ops", new RolloutStart(), RolloutRecord.Running, DateTimeOffset.UnixEpoch),
            TimeProvider.System, _ => { });
        for (var i = 0; i < 3; i++)
            run.Events.Append(new RolloutEvent("ro-1", "note", null, $"event {i}", DateTimeOffset.UnixEpoch, TimeSpan.Zero, DateTimeOffset.UnixEpoch));

        Assert.Equal(after, run.ResumeAfter(lastEventId?.Replace("SELF", run.Stream, StringComparison.Ordinal)));
        Assert.Equal($"{run.Stream}-3", run.EventId(3));
    }
}
