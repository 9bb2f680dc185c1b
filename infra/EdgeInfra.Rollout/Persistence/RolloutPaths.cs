namespace EdgeInfra.Rollout.Persistence;

/// <summary>Where the rollout host keeps a stack's files: <c>&lt;state root&gt;/rollout/&lt;stack&gt;/</c>.</summary>
/// <param name="Dir">The stack's rollout directory.</param>
public sealed record RolloutPaths(string Dir)
{
    public static RolloutPaths For(string stateRoot, string stack) => new(Path.Combine(stateRoot, "rollout", stack));

    /// <summary>Whether writes are synced to disk before they count (survive a power cut, not only a kill). Off only
    /// for a throw-away state root that is deleted when its run ends (a rehearsal's).</summary>
    public bool Durable { get; init; } = true;

    public string State => Path.Combine(Dir, "state.json");
    public string Lock => Path.Combine(Dir, "rollout.lock.json");
    public string Holds => Path.Combine(Dir, "holds.json");
    public string Freeze => Path.Combine(Dir, "freeze.json");
    public string CatchUp => Path.Combine(Dir, "catchup.json");
    public string Audit => Path.Combine(Dir, "audit.jsonl");
    public string AuditHead => Path.Combine(Dir, "audit.head.json");
}
