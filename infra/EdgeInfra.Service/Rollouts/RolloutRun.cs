using EdgeInfra.Rollout.Walker;
using EdgeInfra.Service.Events;

namespace EdgeInfra.Service.Rollouts;

/// <summary>A rollout this service process is walking (or walked): its record, its live events and its stop switch.</summary>
internal sealed class RolloutRun : IRolloutTimeline
{
    private readonly TimeProvider _wall;
    private readonly Action<RolloutEvent> _observed;

    public RolloutRun(RolloutRecord record, TimeProvider wall, Action<RolloutEvent> observed)
    {
        Record = record;
        _wall = wall;
        _observed = observed;
    }

    public RolloutRecord Record { get; set; }

    /// <summary>Whether this run resumes a walk a stopped service left running (rather than a caller's new start).</summary>
    public bool Resumed { get; init; }
    public EventLog<RolloutEvent> Events { get; } = new();

    /// <summary>Names this process's event log of the run in the SSE ids (<c>STREAM-SEQ</c>): a service restarted
    /// mid-rollout numbers the resumed walk's events from 1 again, so a client's Last-Event-ID from the old process must
    /// not skip any of them.</summary>
    public string Stream { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    /// <summary>The SSE id of the event numbered <paramref name="sequence"/> in this run's log.</summary>
    public string EventId(long sequence) => $"{Stream}-{sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The sequence number to resume after for a client's Last-Event-ID: its own when it names this log, else 0
    /// (every event this process logged is new to it).</summary>
    public long ResumeAfter(string? lastEventId)
    {
        if (lastEventId is null) return 0;
        var dash = lastEventId.LastIndexOf('-');
        return dash > 0 && lastEventId.AsSpan(0, dash).SequenceEqual(Stream)
            && long.TryParse(lastEventId.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n <= Events.LastId ? n : 0;
    }
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Completes with the walker's first decision: it holds the stack's lock and has started (or resumed).</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Walk { get; set; } = Task.CompletedTask;

    /// <summary>Why the walk failed (an exception the walker threw), once it did.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Who aborted it, once someone did.</summary>
    public string? AbortedBy { get; set; }

    public void Write(TimelineEvent e)
    {
        var emitted = RolloutEvent.From(Record.Id, e, _wall.GetUtcNow());
        Events.Append(emitted);
        _observed(emitted);
        Started.TrySetResult();
    }
}
