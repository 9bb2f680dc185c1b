using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.Deployment;

/// <summary>A progress event for the CLI: a step started or finished, a provider published, a pending op resolved.</summary>
public sealed record StepEvent(StepEventKind Kind, Urn? Urn, StepOp? Op, string? Provider, string? Message)
{
    public TimeSpan? Elapsed { get; init; }
}

/// <summary>What a <see cref="StepEvent"/> reports.</summary>
public enum StepEventKind { StepStarted, StepSucceeded, StepFailed, ProviderCompleted, ProviderFailed, PendingResolved, Refreshed }
