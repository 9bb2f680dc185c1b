using System.Collections.Immutable;

namespace EdgeInfra.Engine.Resources;

/// <summary>Pulumi's resource options that the engine honours.</summary>
public sealed record ResourceOptions
{
    public static readonly ResourceOptions Default = new();

    /// <summary>Any delete or replace of the resource fails the run.</summary>
    public bool Protect { get; init; }

    /// <summary>Explicit ordering edges: these resources are created/updated first and deleted last.</summary>
    public ImmutableArray<Urn> DependsOn { get; init; } = [];

    /// <summary>Input keys whose changes are ignored after create (the state value is kept).</summary>
    public ImmutableArray<string> IgnoreChanges { get; init; } = [];

    /// <summary>Input keys whose change forces a replace; <c>*</c> means any key.</summary>
    public ImmutableArray<string> ReplaceOnChanges { get; init; } = [];

    /// <summary>Replace by deleting first (default is create-before-delete).</summary>
    public bool DeleteBeforeReplace { get; init; }
}
