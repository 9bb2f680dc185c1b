using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Deployment;

/// <summary>Options of preview, up and destroy.</summary>
public sealed record UpdateOptions
{
    public static readonly UpdateOptions Default = new();

    /// <summary>URN globs (<c>*</c> within a segment, <c>**</c> anything); empty = everything.</summary>
    public ImmutableArray<string> Targets { get; init; } = [];

    /// <summary>Concurrent provider steps; null = 4 × processor count.</summary>
    public int? Parallelism { get; init; }

    public string Message { get; init; } = "";
    public string Actor { get; init; } = LockHolder.DefaultActor;
    public string? SourceCommit { get; init; }

    /// <summary>Passed to transactional providers (e.g. commit trailers <c>Edge-Ring: canary</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Trailers { get; init; } = [];

    /// <summary>The desired stacks of the sibling ring stacks; resources move between them by <c>MoveKey</c>.</summary>
    public ImmutableArray<DesiredStack> Siblings { get; init; } = [];

    /// <summary>Fail (before changing anything) when the plan has any change.</summary>
    public bool ExpectNoChanges { get; init; }

    /// <summary>When the plan (made once, under the lock) changes nothing and no interrupted operation was resolved,
    /// return without recording a history version (the result's Version is null): a repeated apply records nothing.</summary>
    public bool SkipUnchanged { get; init; }

    internal int EffectiveParallelism => Math.Max(1, Parallelism ?? 4 * Environment.ProcessorCount);
}

/// <summary>Options of refresh.</summary>
public sealed record RefreshOptions
{
    public static readonly RefreshOptions Default = new();

    /// <summary>Report drift only: no lock, no state or history written.</summary>
    public bool PreviewOnly { get; init; }
    public int? Parallelism { get; init; }
    public string Message { get; init; } = "";
    public string Actor { get; init; } = LockHolder.DefaultActor;

    internal int EffectiveParallelism => Math.Max(1, Parallelism ?? 4 * Environment.ProcessorCount);
}
