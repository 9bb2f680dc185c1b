using EdgeInfra.Lab.Config;

namespace EdgeInfra.Lab;

/// <summary>How to start a <see cref="LabHub"/>: where the fleet repo and the lab's state are, which clock, seed and scenario.</summary>
public sealed record LabHubOptions
{
    /// <summary>Where the simulator persists its state: by convention <see cref="LabHub.StateDirFor"/>.</summary>
    public required string StateDir { get; init; }

    /// <summary>The fleet repo EdgeInfra pushes to: a local bare repo (e.g. <c>.edgeinfra/fleet.git</c>); may not exist yet.</summary>
    public required string FleetRepoPath { get; init; }

    /// <summary>The branch Fleet's GitRepos follow.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The clock the hub runs on. Null: a new <see cref="LabClock"/> reading the persisted virtual now (or
    /// <see cref="StartTime"/> for a fresh lab). A <see cref="LabClock"/> given here is moved forward to the persisted
    /// now when it is behind. <see cref="TimeProvider.System"/> runs in real time (a real Prometheus scrapes it).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Virtual start of a fresh lab; default 2026-01-05 08:00 UTC (a Monday morning), so runs are reproducible.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>The random seed of a fresh lab; null: <see cref="LabSettings.Seed"/>. A resumed lab keeps its own.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The <c>edge-infra:lab</c> settings (<see cref="LabConfigReader"/>).</summary>
    public LabSettings Settings { get; init; } = LabSettings.Default;

    /// <summary>The scenario whose faults and offline schedules are active; null or "" for none.</summary>
    public string? Scenario { get; init; }

    /// <summary>Registry zones that run a mirror (from <c>edge-infra:registryZones</c>); null: every zone has one.</summary>
    public IReadOnlySet<string>? MirrorZones { get; init; }

    /// <summary>The Fleet controller shards the hub runs besides the default one (the chart's <c>shards[].id</c>; for a
    /// stack, <c>edge-infra:fleet.shards</c>). A GitRepo labelled with another shard is reconciled by none.</summary>
    public IReadOnlyList<string> ControllerShards { get; init; } = [];

    /// <summary>How often the hub re-reads <c>hub/</c> in the fleet repo.</summary>
    public TimeSpan HubPollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How much simulated time may pass between two saves of the state (a save is also made when the hub
    /// stops). A process killed in between restarts from the last save, at most this far back in virtual time, and
    /// simulates that stretch again from the fleet repo (the simulation depends only on the seed and the commits).
    /// Zero saves after every pass.</summary>
    public TimeSpan CheckpointInterval { get; init; } = DefaultCheckpointInterval;

    /// <summary>Five virtual minutes: a few gate intervals of re-simulation after a crash, a few dozen saves for a whole lab rollout.</summary>
    public static TimeSpan DefaultCheckpointInterval { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Start from nothing even when state is persisted (the old state is replaced at the first pass).</summary>
    public bool Reset { get; init; }

    /// <summary>Serve and answer, but never advance or persist (e.g. <c>status</c> while a rollout runs elsewhere).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Listen over HTTP (on 127.0.0.1, <see cref="Port"/>); false for in-process use only (rehearse).</summary>
    public bool Serve { get; init; } = true;

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    public static DateTimeOffset DefaultStartTime { get; } = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
}
