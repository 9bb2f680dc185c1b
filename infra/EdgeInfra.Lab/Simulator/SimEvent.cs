namespace EdgeInfra.Lab.Simulator;

/// <summary>What a scheduled simulator event does.</summary>
internal enum SimEventKind
{
    HubPoll,
    GitRepoPoll,
    Reconcile,
    Register,
    OfflineStart,
    OfflineEnd,
    AgentPickup,
    PullDone,
    Applied,
    BecameReady,
}

/// <summary>One scheduled event: processed in (time, sequence) order, so a run never depends on thread timing.</summary>
/// <param name="Subject">The object key the event is about (GitRepo, Bundle, Cluster or BundleDeployment key).</param>
/// <param name="Attempt">For agent steps: the BD attempt the step belongs to (stale steps are dropped).</param>
internal sealed record SimEvent(DateTimeOffset At, long Seq, SimEventKind Kind, string Subject, int Attempt = 0);

/// <summary>The simulator's pending events, earliest first.</summary>
internal sealed class SimEventQueue
{
    private readonly PriorityQueue<SimEvent, (long, long)> _queue = new();

    public long NextSeq { get; set; }

    public int Count => _queue.Count;

    public void Schedule(DateTimeOffset at, SimEventKind kind, string subject, int attempt = 0) =>
        Add(new SimEvent(at, NextSeq++, kind, subject, attempt));

    public void Add(SimEvent e) => _queue.Enqueue(e, (e.At.UtcTicks, e.Seq));

    public bool TryPeek(out SimEvent e) => _queue.TryPeek(out e!, out _);

    public SimEvent Dequeue() => _queue.Dequeue();

    /// <summary>Every pending event in processing order (for persistence).</summary>
    public List<SimEvent> Snapshot() =>
        [.. _queue.UnorderedItems.Select(i => i.Element).OrderBy(e => e.At.UtcTicks).ThenBy(e => e.Seq)];
}
