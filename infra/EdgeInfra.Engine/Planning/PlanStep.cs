using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Planning;

/// <summary>One step of a plan: the op, the old state (ours, or the sibling's for a move) and the new desired resource.</summary>
/// <param name="New">The desired resource with <c>ignoreChanges</c> already applied; null for deletes and move-outs.</param>
public sealed record PlanStep(StepOp Op, Urn Urn, ResourceState? Old, DesiredResource? New)
{
    /// <summary>Input differences from <see cref="Old"/> to <see cref="New"/>; secret values shown as <c>[secret]</c>.</summary>
    public IReadOnlyList<PropertyDiff> Diffs { get; init; } = [];

    /// <summary>Why a replace is needed: the changed keys that force it.</summary>
    public ImmutableArray<string> ReplaceReasons { get; init; } = [];

    /// <summary>For moves: the sibling stack the resource comes from (Move) or goes to (MoveOut).</summary>
    public string? OtherStack { get; init; }

    /// <summary>For MoveOut: the state entry to hand over into the sibling's state; null when the sibling already owns it.</summary>
    public ResourceState? Handover { get; init; }

    /// <summary>A <see cref="StepOp.Same"/> step whose recorded options or tags changed: state is rewritten, no provider call.</summary>
    public bool MetadataChanged { get; init; }

    /// <summary>The provider that serves the resource, or null for components.</summary>
    public string? Provider => New?.Custom == true ? New.Provider : Old?.Custom == true ? Old.Provider : null;

    /// <summary>Whether the step needs a provider call (moves only when inputs changed).</summary>
    public bool CallsProvider => Provider is not null && Op switch
    {
        StepOp.Create or StepOp.Update or StepOp.Replace or StepOp.Delete => true,
        StepOp.Move => Diffs.Count > 0,
        _ => false,
    };
}
