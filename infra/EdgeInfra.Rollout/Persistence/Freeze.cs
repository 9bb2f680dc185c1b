namespace EdgeInfra.Rollout.Persistence;

/// <summary>A change freeze on a stack: no ring is promoted while it stands; rollbacks still run.</summary>
public sealed record Freeze(string Reason, string Actor, DateTimeOffset Since);
