using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Rollout.Holds;

/// <summary>Thrown when <c>up</c> or <c>rollout</c> would apply a held release; the message names each hold and how to
/// release it.</summary>
public sealed class ReleaseHeldException(string stack, IReadOnlyList<ReleaseHold> holds) : Exception(Describe(stack, holds))
{
    public IReadOnlyList<ReleaseHold> Holds { get; } = holds;

    private static string Describe(string stack, IReadOnlyList<ReleaseHold> holds) =>
        $"stack {stack}: the release is on hold, so it is not applied again: " +
        string.Join("; ", holds.Select(h => $"{h.Item} held by {h.Actor} since {h.Since.UtcDateTime:yyyy-MM-dd HH:mm}Z ({h.Reason})")) +
        $". Release a new version (edgeinfra config set --stack {stack} --path apps.<app>.version X), or lift the hold with: " +
        $"edgeinfra unhold --stack {stack} {string.Join(" ", holds.Select(h => h.Item))}";
}
