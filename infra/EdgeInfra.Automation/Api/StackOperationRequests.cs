namespace EdgeInfra.Automation;

/// <summary>What to preview: one ring (with the base stack) or every ring, and optionally only some resources.</summary>
/// <param name="SavePlan">Also return the preview as a <see cref="Plans.SavedPlan"/> an <c>up</c> or rollout can apply.</param>
/// <param name="Offline">Pin the release's images to the digests recorded in state instead of resolving their tags.</param>
public sealed record PreviewRequest(string? Ring = null, IReadOnlyList<string>? Targets = null, bool SavePlan = false, bool Offline = false)
{
    public static PreviewRequest Default { get; } = new();
}

/// <summary>How a rollout walks: overrides of the stack's gate interval and hold timeout, and (lab only) a scenario.</summary>
/// <param name="AllowMassDelete">Walk even when the rings together would delete more stores than the stack allows.</param>
/// <param name="RunBy">Which host runs it (the service names its rollout), shown to anyone its lock refuses.</param>
/// <param name="Plan">A reviewed plan of every ring: the rollout starts only if nothing moved since that preview.</param>
/// <param name="Offline">Pin the release's images to the digests recorded in state instead of resolving their tags.</param>
public sealed record RolloutRequest(TimeSpan? HoldTimeout = null, TimeSpan? GateInterval = null, string? Scenario = null, bool AllowMassDelete = false,
    string? RunBy = null, Plans.SavedPlan? Plan = null, bool Offline = false)
{
    public static RolloutRequest Default { get; } = new();
}

/// <summary>Which ring to roll back (null: every ring, the kill switch), optionally to a given history version.</summary>
public sealed record RollbackRequest(string? Ring, int? ToVersion = null, string Reason = "manual rollback");

/// <summary>A catch-up pass: keep passing until only stores awaiting approval are left (<paramref name="Wait"/>), and
/// which hold-for-review stores to approve.</summary>
public sealed record CatchUpRequest(bool Wait = false, TimeSpan? Timeout = null, IReadOnlyList<string>? Approve = null, bool ApproveAll = false)
{
    /// <summary>How long <see cref="Wait"/> passes at most.</summary>
    public TimeSpan Limit => Timeout ?? TimeSpan.FromHours(24);
}

/// <summary>What a status read selects: one ring's stores, one store, or (both null) every store.</summary>
public sealed record StatusRequest(string? Ring = null, string? Store = null);

/// <summary>What an audit read selects: what concerns one store, and entries from a time on.</summary>
public sealed record AuditRequest(string? Store = null, DateTimeOffset? Since = null);

/// <summary>A release to rehearse on the simulator (<c>app=version</c> items), with an optional lab scenario and seed.</summary>
/// <param name="Offline">Pin the images to the digests the stack recorded in state instead of resolving their tags.</param>
public sealed record RehearseRequest(IReadOnlyList<string> Release, string? Scenario = null, ulong? Seed = null, bool Offline = false);
