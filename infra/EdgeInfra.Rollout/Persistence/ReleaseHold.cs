namespace EdgeInfra.Rollout.Persistence;

/// <summary>One held release item (<c>app=version</c>): neither <c>up</c> nor <c>rollout</c> applies it until an operator
/// releases a new version or unholds it.</summary>
/// <param name="Item">The app and version held, as <c>app=version</c>.</param>
/// <param name="Reason">Why: the breach that rolled it back, or the operator's reason.</param>
public sealed record ReleaseHold(string Item, string Reason, string Actor, DateTimeOffset Since);
