using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Rollout.Audit;

namespace EdgeInfra.Automation.Reports;

/// <summary>Builds a <see cref="ComplianceReport"/> from the stack's verified audit log and its fleet-repo commits: the
/// same entries <c>audit --json</c> shows, so the two always agree.</summary>
/// <remarks>
/// A store's digest over time comes from the store transitions the rollout host observed: ready (or drifted) at a ring's
/// revision means it runs that commit's pinned digests, offline opens a gap, and a catch-up, window or registration
/// delivery means it reached its ring's current revision. Other states (applying, pending, failed) leave it on what it
/// ran. The whole log up to the period's end is replayed, so a store's first segment can start before the period (it is
/// clipped to the period's start). One pass over the entries: linear in the transitions recorded.
/// </remarks>
internal static class ComplianceReportBuilder
{
    private static readonly HashSet<string> Approvals = new(StringComparer.Ordinal)
    {
        AuditActions.Start, AuditActions.Unhold, AuditActions.CatchUpApprove, AuditActions.Unfreeze, AuditActions.Override,
    };

    private static readonly HashSet<string> Delivered = new(StringComparer.Ordinal)
    {
        AuditActions.CaughtUp, AuditActions.WindowDelivered, AuditActions.RegistrationDelivered,
    };

    public static ComplianceReport Build(string stack, AuditReading audit, IReadOnlyList<FleetCommit> commits,
        IReadOnlyDictionary<string, string?> storeRings, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var byCommit = commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var releases = new Dictionary<string, ReleaseDraft>(StringComparer.Ordinal);
        ReleaseDraft Release(string key) => releases.TryGetValue(key, out var r) ? r : releases[key] = new ReleaseDraft(key);
        var ringRevision = new Dictionary<string, string>(StringComparer.Ordinal);
        var stores = new Dictionary<string, List<StoreSegment>>(StringComparer.Ordinal);

        foreach (var entry in audit.Entries)
        {
            var r = entry.Record;
            if (r.Time > to) break;
            var data = r.Data ?? EmptyData;
            var commit = data.GetValueOrDefault("commit");
            if (r.Action is AuditActions.Apply or AuditActions.Rollback && r.Ring is not null && !string.IsNullOrEmpty(commit))
                ringRevision[r.Ring] = commit;

            switch (r.Action)
            {
                case AuditActions.Observe when r.Stores is { Count: > 0 } ids && data.GetValueOrDefault("state") is { } state:
                    if (state == "offline") foreach (var id in ids) Move(stores, id, r.Time, null, offline: true, byCommit);
                    else if (state is "ready" or "drifted" && data.GetValueOrDefault("revision") is { Length: > 0 } revision)
                        foreach (var id in ids) Move(stores, id, r.Time, revision, offline: false, byCommit);
                    break;
                case var action when Delivered.Contains(action) && r.Stores is { Count: > 0 } delivered && r.Ring is not null &&
                                     ringRevision.GetValueOrDefault(r.Ring) is { } current:
                    foreach (var id in delivered) Move(stores, id, r.Time, current, offline: false, byCommit);
                    break;
            }

            if (r.Time < from || r.Release is null) continue;
            if (r.Action == AuditActions.Unhold)
            {
                // An unhold names one app=version item: it approves every release that carries it.
                foreach (var key in releases.Keys.Where(k => k.Split(',').Contains(r.Release, StringComparer.Ordinal)).ToList())
                    Release(key).Approvals.Add(Approval(r));
                continue;
            }
            var release = Release(r.Release);
            if (Approvals.Contains(r.Action)) release.Approvals.Add(Approval(r));
            switch (r.Action)
            {
                case AuditActions.Apply when r.Ring is not null:
                    release.Ring(r.Ring).Apply(r.Time, commit);
                    foreach (var (key, value) in data)
                    {
                        if (key.StartsWith("digest.", StringComparison.Ordinal)) release.Digests[key["digest.".Length..]] = value;
                        if (key.StartsWith("signature.", StringComparison.Ordinal)) release.Signatures[key["signature.".Length..]] = value;
                    }
                    break;
                case AuditActions.Promote when r.Ring is not null:
                    release.Ring(r.Ring).Promoted(r.Time, r.Reason ?? "");
                    break;
                case AuditActions.Hold or AuditActions.HoldTimeout or AuditActions.Breach when r.Ring is not null:
                    release.Ring(r.Ring).Verdicts.Add(new VerdictEvidence(r.Time, r.Action, r.Reason ?? ""));
                    break;
                case AuditActions.Rollback when r.Ring is not null:
                    release.Rollbacks.Add(new RollbackEvidence(r.Time, r.Ring, r.Actor, r.Reason ?? "", commit));
                    break;
            }
        }

        foreach (var c in commits.Where(c => c.When >= from && c.When <= to))
            if (c.Trailer(ChangeTrailers.Release) is { } key && releases.TryGetValue(key, out var release))
                release.Proposed.Add(new ProposalEvidence(c.When, c.Sha, c.Trailer(ChangeTrailers.Actor) ?? c.AuthorName,
                    c.Trailer(ChangeTrailers.SourceCommit), c.Trailer(ChangeTrailers.Ring), c.Subject));

        var storeEvidence = storeRings.Keys.Order(StringComparer.Ordinal)
            .Select(id => new StoreEvidence(id, storeRings[id], Clip(stores.GetValueOrDefault(id) ?? [], from)))
            .ToList();
        return new ComplianceReport(stack, from, to, now, audit.Intact, audit.Problems, audit.Entries.Count,
            [.. releases.Values.Where(r => r.Rings.Count > 0 || r.Rollbacks.Count > 0).Select(r => r.ToEvidence())], storeEvidence);
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyData = new Dictionary<string, string>();

    private static ApprovalEvidence Approval(AuditRecord r) => new(r.Time, r.Actor, r.Action, r.Ring, r.Reason, r.Stores ?? []);

    /// <summary>Ends the store's open segment and starts one at <paramref name="revision"/> (or a gap), unless it is
    /// already there.</summary>
    private static void Move(Dictionary<string, List<StoreSegment>> stores, string id, DateTimeOffset at, string? revision, bool offline,
        IReadOnlyDictionary<string, FleetCommit> commits)
    {
        if (!stores.TryGetValue(id, out var segments)) stores[id] = segments = [];
        var open = segments.Count > 0 ? segments[^1] : null;
        if (open is not null && open.Offline == offline && open.Commit == revision) return;
        if (open is not null) segments[^1] = open with { To = at };
        var c = revision is null ? null : commits.GetValueOrDefault(revision);
        segments.Add(new StoreSegment(at, null, offline, c?.Trailer(ChangeTrailers.Release), c?.Trailer(ChangeTrailers.Digest), revision));
    }

    /// <summary>The segments that overlap the period, the first starting no earlier than <paramref name="from"/>.</summary>
    private static IReadOnlyList<StoreSegment> Clip(List<StoreSegment> segments, DateTimeOffset from) =>
        [.. segments.Where(s => s.To is null || s.To > from).Select(s => s.From < from ? s with { From = from } : s)];

    private sealed class ReleaseDraft(string key)
    {
        public Dictionary<string, string> Digests { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Signatures { get; } = new(StringComparer.Ordinal);
        public List<ProposalEvidence> Proposed { get; } = [];
        public List<ApprovalEvidence> Approvals { get; } = [];
        public List<RingDraft> Rings { get; } = [];
        public List<RollbackEvidence> Rollbacks { get; } = [];

        public RingDraft Ring(string name)
        {
            var ring = Rings.FirstOrDefault(r => r.Name == name);
            if (ring is null) Rings.Add(ring = new RingDraft(name));
            return ring;
        }

        public ReleaseEvidence ToEvidence() => new(key, Digests, Signatures, Proposed, Approvals,
            [.. Rings.Select(r => new RingEvidence(r.Name, r.AppliedAt, r.Commit, r.PromotedAt, r.Verdicts))], Rollbacks);
    }

    private sealed class RingDraft(string name)
    {
        public string Name => name;
        public DateTimeOffset? AppliedAt { get; private set; }
        public string? Commit { get; private set; }
        public DateTimeOffset? PromotedAt { get; private set; }
        public List<VerdictEvidence> Verdicts { get; } = [];

        public void Apply(DateTimeOffset at, string? commit)
        {
            AppliedAt ??= at;
            Commit = commit ?? Commit;
        }

        public void Promoted(DateTimeOffset at, string reason)
        {
            PromotedAt = at;
            Verdicts.Add(new VerdictEvidence(at, AuditActions.Promote, reason));
        }
    }
}
