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
