namespace EdgeInfra.Lab.Simulator;

/// <summary>One thing that happened in the simulated fleet, at a virtual time (the run's event log).</summary>
public sealed record LabEvent(DateTimeOffset At, string Kind, string Subject, string Detail)
{
    public override string ToString() => $"{At:O} {Kind} {Subject} {Detail}";
}

/// <summary>One store applying one deployment: from promotion to Ready (or a fault), with what its pull cost.</summary>
/// <param name="MirrorHit">True when every image came from the store's registry-zone mirror (no WAN bytes).</param>
/// <param name="Outcome">applying, ready, errApplied, notReady or cancelled (offline or superseded).</param>
public sealed record ApplyRecord(string Cluster, string Bundle, string App, string Version, string Region, string DeploymentId,
    DateTimeOffset PromotedAt, DateTimeOffset? StartedAt, DateTimeOffset? PulledAt, DateTimeOffset? AppliedAt,
    DateTimeOffset? ReadyAt, long PulledBytes, long WanBytes, bool MirrorHit, string Outcome)
{
    /// <summary>Promotion to Ready; null while not Ready.</summary>
    public TimeSpan? Duration => ReadyAt - PromotedAt;
}

/// <summary>What the simulated fleet has cost so far: WAN bytes per region, mirror bytes per zone and every apply.</summary>
/// <remarks>What <c>edgeinfra rehearse</c> reports; also served as JSON at <c>GET /lab/stats</c>.</remarks>
public sealed record LabStats(
    DateTimeOffset Now,
    IReadOnlyDictionary<string, long> WanBytesByRegion,
    IReadOnlyDictionary<string, long> MirrorBytesByZone,
    IReadOnlyList<ApplyRecord> Applies,
    int Events);
