using EdgeInfra.Automation.Reports;
using EdgeInfra.Providers.FleetRepo;

namespace EdgeInfra.Automation;

/// <summary>The compliance evidence report.</summary>
public sealed partial class EdgeInfraStack
{
    /// <summary>The compliance evidence of the period: the audit chain's verification, each release's proposal,
    /// approvals, pinned digests and signature checks, ring applies, gate verdicts and rollbacks, and every store's
    /// digest over time (offline gaps as gaps), from the same verified log and commits <see cref="AuditAsync"/> reads.</summary>
    /// <remarks>Reads only: no stack is rendered and no hub is opened, so a report of a large fleet stays fast.</remarks>
    public async Task<ComplianceReport> ReportAsync(ReportRequest request, CancellationToken ct = default)
    {
        if (request.To <= request.From) throw new UsageException($"--from ({request.From:u}) must be before --to ({request.To:u})");
        var ws = FleetWorkspace.LoadForReading(_workspace.ProjectDir, Name, Time);
        var reading = RolloutScope.Of(ws, Actor).Audit.Read();
        IReadOnlyList<FleetCommit> commits;
        using (var history = new FleetRepoHistory(EngineSession.RepoOptions(ws, "audit"), EngineSession.Credentials(ws)))
            commits = [.. (await history.ReadAsync(ct: ct)).Where(c => c.Trailer(ChangeTrailers.Stack) is { } s
                && (s == ws.Stack || s.StartsWith(ws.Stack + ".", StringComparison.Ordinal)))];
        var stores = ws.Model.Stores.ToDictionary(s => s.Id, s => (string?)s.Ring, StringComparer.Ordinal);
        return ComplianceReportBuilder.Build(ws.Stack, reading, commits, stores, request.From, request.To, Time.GetUtcNow());
    }
}

/// <summary>The period a compliance report covers, <paramref name="From"/> inclusive to <paramref name="To"/>.</summary>
public sealed record ReportRequest(DateTimeOffset From, DateTimeOffset To);
