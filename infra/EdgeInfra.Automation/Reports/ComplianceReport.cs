namespace EdgeInfra.Automation.Reports;

/// <summary>The compliance evidence of one stack over a period: the audit chain's verification, per release who proposed
/// and approved it, what it was pinned and signed as, how each ring took it, and per store which digest it ran when.</summary>
/// <param name="AuditEntries">Entries of the whole log read and verified (not only those inside the period).</param>
public sealed record ComplianceReport(
    string Stack,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    bool AuditIntact,
    IReadOnlyList<string> AuditProblems,
    int AuditEntries,
    IReadOnlyList<ReleaseEvidence> Releases,
    IReadOnlyList<StoreEvidence> Stores);

/// <summary>One release (<c>app=version,…</c>) rolled out in the period.</summary>
/// <param name="Digests">App → the image digest the release was pinned to at its ring applies.</param>
/// <param name="Signatures">App → the signature check recorded at its ring applies (empty when the stack verifies none).</param>
public sealed record ReleaseEvidence(
    string Release,
    IReadOnlyDictionary<string, string> Digests,
    IReadOnlyDictionary<string, string> Signatures,
    IReadOnlyList<ProposalEvidence> Proposed,
    IReadOnlyList<ApprovalEvidence> Approvals,
    IReadOnlyList<RingEvidence> Rings,
    IReadOnlyList<RollbackEvidence> Rollbacks);

/// <summary>A fleet-repo commit that carried the release, with its trailers: who made it from which config commit.</summary>
public sealed record ProposalEvidence(DateTimeOffset Time, string Commit, string Actor, string? SourceCommit, string? Ring, string Subject);

/// <summary>A human decision that let the release go on: the rollout's start, an unhold, a catch-up approval, an unfreeze.</summary>
/// <param name="Actor">Who decided: a person, or the name of the service token used.</param>
public sealed record ApprovalEvidence(DateTimeOffset Time, string Actor, string Action, string? Ring, string? Reason, IReadOnlyList<string> Stores);

/// <summary>How one ring took the release: when it was applied (which commit), its gate verdicts with their numbers, when it
/// was promoted.</summary>
public sealed record RingEvidence(string Ring, DateTimeOffset? AppliedAt, string? Commit, DateTimeOffset? PromotedAt, IReadOnlyList<VerdictEvidence> Verdicts);

/// <summary>A gate decision recorded for a ring: promote (every gate passed), hold or breach, with the gates' reasons.</summary>
public sealed record VerdictEvidence(DateTimeOffset Time, string Action, string Reason);

/// <summary>A ring returned from the release to an earlier one, and why.</summary>
public sealed record RollbackEvidence(DateTimeOffset Time, string Ring, string Actor, string Reason, string? Commit);

/// <summary>What one store ran over the period, as consecutive segments; a store never observed has none.</summary>
public sealed record StoreEvidence(string Store, string? Ring, IReadOnlyList<StoreSegment> Segments);

/// <summary>From when (until when; null: the end of the period) a store ran one release at its pinned digests, or was
/// offline (a gap: nothing is known of what it ran).</summary>
/// <param name="Digests">The pinned digests, <c>app=sha256:… …</c> (the commit's Edge-Digest trailer); null in a gap or
/// when the commit carried none.</param>
/// <param name="Commit">The fleet-repo commit the store had applied.</param>
public sealed record StoreSegment(DateTimeOffset From, DateTimeOffset? To, bool Offline, string? Release, string? Digests, string? Commit);
