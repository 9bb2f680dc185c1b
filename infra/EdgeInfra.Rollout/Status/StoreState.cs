namespace EdgeInfra.Rollout.Status;

/// <summary>A store's state in one vocabulary everywhere: CLI, JSON, audit (ARCHITECTURE.md §6).</summary>
public enum StoreState
{
    /// <summary>The store's ring has not been opened for this release.</summary>
    NotSelected,

    /// <summary>Selected, but Fleet has not reached it yet (no BundleDeployment, or its partition is not open).</summary>
    Pending,

    /// <summary>The agent's last check-in is older than the store's class threshold; never counted as failed.</summary>
    Offline,

    /// <summary>Online and working towards the new deployment ID.</summary>
    Applying,

    /// <summary>Applied the current deployment ID and Ready.</summary>
    Ready,

    /// <summary>ErrApplied, or not Ready past the deadline while online.</summary>
    Failed,

    /// <summary>Applied and Ready, but changed outside Git (Fleet's Modified).</summary>
    Drifted,
}

/// <summary>The wire names of <see cref="StoreState"/> (<c>not-selected</c>, <c>pending</c>, …).</summary>
public static class StoreStates
{
    public static string ToWire(this StoreState state) => state switch
    {
        StoreState.NotSelected => "not-selected",
        StoreState.Pending => "pending",
        StoreState.Offline => "offline",
        StoreState.Applying => "applying",
        StoreState.Ready => "ready",
        StoreState.Failed => "failed",
        StoreState.Drifted => "drifted",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
