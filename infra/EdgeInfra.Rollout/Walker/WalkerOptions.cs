namespace EdgeInfra.Rollout.Walker;

/// <summary>How the ring walker paces itself and who it acts as.</summary>
/// <param name="GateInterval">How often a ring's gates are evaluated while it bakes (also the status poll period).</param>
/// <param name="HoldTimeout">How long a ring may hold on an inconclusive gate before the rollout gives up (exit 1).</param>
/// <param name="Actor">Who the rollout acts as: audit entries, commit trailers, lock holder.</param>
public sealed record WalkerOptions(TimeSpan GateInterval, TimeSpan HoldTimeout, string Actor)
{
    /// <summary>App → the change class a store returning from offline gets its change under (<c>rollout.catchUp</c>),
    /// overriding the app's own class.</summary>
    public IReadOnlyDictionary<string, EdgeInfra.Components.Model.ChangeClass> CatchUpClasses { get; init; } =
        new Dictionary<string, EdgeInfra.Components.Model.ChangeClass>(StringComparer.Ordinal);

    /// <summary>Whether the walker holds stores back from a ring's change (offline ones, and for a <c>next-window</c>
    /// change those outside their maintenance window). Off only where a release must simply land everywhere, as the
    /// rehearsal's settling of the current release.</summary>
    public bool HoldsStoresBack { get; init; } = true;

    /// <summary>How often a ring whose only wait is for maintenance windows (nothing in flight) is read again, at most;
    /// it is read at the next window opening anyway.</summary>
    public TimeSpan IdleInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Which host runs the walk (e.g. <c>edgeinfra serve, rollout ro-…</c>), named in the lock so a refused
    /// rollout elsewhere says what holds the stack; null for the CLI, whose pid says it.</summary>
    public string? RunBy { get; init; }

    public static readonly TimeSpan DefaultGateInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromHours(4);
}
