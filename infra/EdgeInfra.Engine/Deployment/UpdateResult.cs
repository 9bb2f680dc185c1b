using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.Deployment;

/// <summary>The outcome of an up or destroy.</summary>
/// <param name="Version">The history version recorded for this run; null when nothing was recorded (expect-no-changes refusal).</param>
/// <param name="Counts">Completed steps per op (planned Same steps included).</param>
/// <param name="Revisions">Per provider, the revision its <c>CompleteAsync</c> returned (e.g. a git commit sha).</param>
public sealed record UpdateResult(
    string Stack,
    int? Version,
    bool Succeeded,
    Plan Plan,
    IReadOnlyDictionary<StepOp, int> Counts,
    IReadOnlyDictionary<string, string> Revisions,
    IReadOnlyList<StepFailure> Failures)
{
    /// <summary>Pending operations from an earlier interrupted run that this run resolved first.</summary>
    public int ResolvedPending { get; init; }
}

/// <summary>One failure: the resource (null for provider-level failures such as a failed publish) and the message.</summary>
public sealed record StepFailure(Urn? Urn, string? Provider, string Message);

/// <summary>The outcome of a refresh.</summary>
public sealed record RefreshResult(string Stack, int? Version, bool Succeeded, IReadOnlyList<Drift> Drift,
    IReadOnlyList<StepFailure> Failures)
{
    public int ResolvedPending { get; init; }
}

/// <summary>A resource whose live state differs from the recorded state.</summary>
/// <param name="Missing">The live resource no longer exists (it is removed from state).</param>
public sealed record Drift(Urn Urn, bool Missing, IReadOnlyList<PropertyDiff> InputDiffs, IReadOnlyList<PropertyDiff> OutputDiffs);
