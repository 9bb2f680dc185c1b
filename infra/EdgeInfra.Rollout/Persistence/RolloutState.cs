namespace EdgeInfra.Rollout.Persistence;

/// <summary>Where a ring is in one rollout. The walker writes the next phase before it acts (intent first), so a
/// rerun after a crash repeats the idempotent action of the phase it finds, never the one before it.</summary>
public enum RingPhase
{
    /// <summary>Not opened yet.</summary>
    Pending,

    /// <summary>Its last-known-good version is recorded and its apply may have started.</summary>
    Applying,

    /// <summary>Applied; its gates are evaluated every interval.</summary>
    Baking,

    /// <summary>Every gate passed: the next ring may open.</summary>
    Promoted,

    /// <summary>A breach sent it back to its last-known-good version; the restore may have started.</summary>
    RollingBack,

    /// <summary>Back on its last-known-good version (or left alone when it had none).</summary>
    RolledBack,
}

/// <summary>How a rollout ended, or that it is still running.</summary>
public enum RolloutOutcome { Running, Completed, RolledBack, HoldTimedOut, Stopped }

/// <summary>The persisted state of one rollout of a stack (runtime state, rewritten atomically at every transition).</summary>
public sealed class RolloutState
{
    public int Format { get; set; } = 1;
    public string Id { get; set; } = "";
    public string Stack { get; set; } = "";
    public string Release { get; set; } = "";
    public string Actor { get; set; } = "";
    public DateTimeOffset Started { get; set; }
    public DateTimeOffset? Ended { get; set; }
    public RolloutOutcome Outcome { get; set; }
    public string? OutcomeReason { get; set; }
    public DateTimeOffset? BreachAt { get; set; }
    public string? Breach { get; set; }
    public string? BreachRing { get; set; }
    public List<string> HeldItems { get; set; } = [];
    public List<RingProgress> Rings { get; set; } = [];

    public RingProgress Ring(string name) => Rings.First(r => r.Ring == name);

    /// <summary>The stack's last rollout as persisted, or null when it never had one.</summary>
    public static RolloutState? Read(RolloutPaths paths) => AtomicJson.Read<RolloutState>(paths.State);
}

/// <summary>One ring's progress in a rollout.</summary>
public sealed class RingProgress
{
    public string Ring { get; set; } = "";
    public RingPhase Phase { get; set; }
    public int? LastKnownGood { get; set; }
    public string? LastKnownGoodRelease { get; set; }
    public string? Revision { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public DateTimeOffset? ReadyAt { get; set; }
    public DateTimeOffset? PromotedAt { get; set; }
    public DateTimeOffset? RolledBackAt { get; set; }
    public string? RollbackRevision { get; set; }
    public DateTimeOffset? HoldSince { get; set; }
    public string? HoldReason { get; set; }
    public int Evaluations { get; set; }

    /// <summary>Store id → the state (wire name) last observed, so each transition is recorded once.</summary>
    public Dictionary<string, string> Observed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Store id → when it was first seen ready in this rollout.</summary>
    public Dictionary<string, DateTimeOffset> ReadySince { get; set; } = new(StringComparer.Ordinal);
}
