using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>A stack's recorded state: the last checkpoint with its journal replayed on top.</summary>
public sealed class StackSnapshot
{
    public StackSnapshot(string stack, IReadOnlyList<ResourceState> resources, IReadOnlyList<PendingOperation> pending,
        ImmutableSortedDictionary<string, string> outputs, DateTimeOffset? time)
    {
        Stack = stack;
        Resources = resources;
        PendingOperations = pending;
        Outputs = outputs;
        Time = time;
        var byUrn = new Dictionary<Urn, ResourceState>(resources.Count);
        foreach (var r in resources) byUrn[r.Urn] = r;
        ByUrn = byUrn;
    }

    public static StackSnapshot Empty(string stack) =>
        new(stack, [], [], ImmutableSortedDictionary<string, string>.Empty, null);

    public string Stack { get; }

    /// <summary>Resources in topological order (parents and dependencies first).</summary>
    public IReadOnlyList<ResourceState> Resources { get; }
    public IReadOnlyDictionary<Urn, ResourceState> ByUrn { get; }

    /// <summary>Provider calls that started but were never recorded as finished (a crash or cancel).</summary>
    public IReadOnlyList<PendingOperation> PendingOperations { get; }
    public ImmutableSortedDictionary<string, string> Outputs { get; }

    /// <summary>When the checkpoint was written; null for a stack that has never been updated.</summary>
    public DateTimeOffset? Time { get; }
}

/// <summary>A provider call that was journaled as started but not as finished.</summary>
/// <param name="Resource">The state the resource would have had after the call (its old id, if any, kept).</param>
/// <param name="Old">The state before the call (updates, replaces, deletes, moves).</param>
/// <param name="FromStack">For moves: the sibling stack the resource was moving from.</param>
public sealed record PendingOperation(PendingKind Kind, ResourceState Resource, ResourceState? Old, string? FromStack)
{
    /// <summary>The Pulumi <c>OperationV2.type</c> word.</summary>
    public string PulumiType => Kind switch
    {
        PendingKind.Creating => "creating",
        PendingKind.Deleting => "deleting",
        _ => "updating",
    };
}

/// <summary>What a pending operation was doing.</summary>
public enum PendingKind { Creating, Updating, Replacing, Deleting, Moving }
