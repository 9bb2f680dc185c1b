namespace EdgeInfra.Rollout.Walker;

/// <summary>Receives the walker's timeline as it happens (the CLI prints it; tests record it).</summary>
public interface IRolloutTimeline
{
    void Write(TimelineEvent e);
}

/// <summary>One line of the timeline.</summary>
/// <param name="Kind">start, apply, progress, gates, hold, promote, breach, rollback, recovered, complete, timeout, note.</param>
public sealed record TimelineEvent(DateTimeOffset At, TimeSpan Elapsed, string? Ring, string Kind, string Text)
{
    /// <summary>For a <c>gates</c> event, each gate's verdict with its reason and the stores behind it.</summary>
    public IReadOnlyList<Gates.GateResult>? Gates { get; init; }
}
