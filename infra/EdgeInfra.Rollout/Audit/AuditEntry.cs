using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Rollout.Audit;

/// <summary>What a decision or observation says before it is chained into the log.</summary>
/// <param name="Action">One of <see cref="AuditActions"/>.</param>
/// <param name="Stores">The stores the entry concerns (a transition's stores, a breach's stores); empty when ring-wide.</param>
/// <param name="Key">A decision's identity: a record with a key already in the log is not appended again, so a walker
/// that repeats a step after a crash records its decision once.</param>
public sealed record AuditRecord(
    DateTimeOffset Time,
    string Actor,
    string Action,
    string Stack,
    string? Ring = null,
    string? Release = null,
    string? Reason = null,
    IReadOnlyList<string>? Stores = null,
    IReadOnlyDictionary<string, string>? Data = null,
    string? Key = null);

/// <summary>One entry of the hash-chained audit log: the record, its place in the chain and its predecessor's hash.</summary>
/// <param name="Seq">1 for the first entry of the stack's log, then one more per entry.</param>
/// <param name="Prev">The SHA-256 (hex) of the previous entry; 64 zeros for the first.</param>
/// <param name="Hash">The SHA-256 (hex) of this entry's JSON text as stored.</param>
public sealed record AuditEntry(long Seq, AuditRecord Record, string Prev, string Hash);

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string Start = "start";
    public const string Apply = "apply";
    public const string Observe = "observe";
    public const string Promote = "promote";
    public const string Hold = "hold";
    public const string HoldTimeout = "hold-timeout";
    public const string Breach = "breach";
    public const string Rollback = "rollback";
    public const string Complete = "complete";
    public const string Freeze = "freeze";
    public const string Unfreeze = "unfreeze";
    public const string HoldRelease = "hold-release";
    public const string Unhold = "unhold";

    /// <summary>An operator stopped a running rollout (the service's abort); its walk state stays, resumable.</summary>
    public const string Abort = "abort";
    public const string Override = "override";
    public const string CatchUpPause = "catch-up-pause";
    public const string CatchUpRelease = "catch-up-release";
    public const string CatchUpApprove = "catch-up-approve";
    public const string CaughtUp = "caught-up";

    /// <summary>An apply refused because a release image's signature did not verify (unsigned, another key, other bytes).</summary>
    public const string SignatureRefused = "signature-refused";

    /// <summary>Online stores paused at a ring's apply until their maintenance window (a <c>next-window</c> change).</summary>
    public const string WindowPause = "window-pause";

    /// <summary>Stores paused for their window, released as it opened.</summary>
    public const string WindowRelease = "window-release";

    /// <summary>A store held back for its window has the change.</summary>
    public const string WindowDelivered = "window-delivered";

    /// <summary>Stores not registered with the hub when their ring was applied: their Clusters are created (or kept) paused.</summary>
    public const string RegistrationPause = "registration-pause";

    /// <summary>Stores paused until they registered, released as their agents checked in while the ring was walked.</summary>
    public const string RegistrationRelease = "registration-release";

    /// <summary>Stores released as they registered have the change (one record per ring and catch-up pass).</summary>
    public const string RegistrationDelivered = "registration-delivered";
}
