using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>One resource as the last checkpoint recorded it.</summary>
public sealed record ResourceState(
    Urn Urn,
    bool Custom,
    string? Id,
    Urn? Parent,
    string? Provider,
    PropertyMap Inputs,
    PropertyMap Outputs)
{
    public string Type => Urn.Type;
    public ImmutableHashSet<string> SecretInputs { get; init; } = [];
    public ImmutableArray<Urn> Dependencies { get; init; } = [];
    public bool Protect { get; init; }
    public ImmutableArray<string> IgnoreChanges { get; init; } = [];
    public ImmutableArray<string> ReplaceOnChanges { get; init; } = [];
    public string? MoveKey { get; init; }
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Modified { get; init; }
}
