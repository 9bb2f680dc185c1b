using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Rollout.Walker;

/// <summary>What a catch-up pass found and did.</summary>
/// <param name="Remaining">The stores still awaiting catch-up after the pass.</param>
/// <param name="CaughtUp">The stores recorded as caught up in this pass.</param>
/// <param name="Released">The stores unpaused in this pass.</param>
/// <param name="Error">Why the pass could not finish (hub unreadable, a release commit failed); null otherwise.</param>
public sealed record CatchUpReport(IReadOnlyList<CatchUpItem> Remaining, IReadOnlyList<CatchUpEntry> CaughtUp, IReadOnlyList<CatchUpEntry> Released,
    string? Error)
{
    public bool TimedOut { get; init; }

    /// <summary>Nothing is left that the policy may release: every remaining store awaits an operator's approval.</summary>
    public bool Settled => Error is null && Remaining.All(r => r.Entry is { Paused: true, Class: ChangeClass.HoldForReview, Approved: false });

    /// <summary>The remaining stores per class, e.g. <c>next-window 3 (paused), hold-for-review 2 (paused)</c>.</summary>
    public string Describe() => string.Join(", ", Remaining.GroupBy(r => r.Entry.Class).OrderBy(g => g.Key)
        .Select(g => $"{CatchUpPolicy.Name(g.Key)} {g.Count()}" + (g.Any(r => r.Entry.Paused) ? $" ({g.Count(r => r.Entry.Paused)} paused)" : "")));
}
