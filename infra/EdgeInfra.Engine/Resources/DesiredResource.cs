using System.Collections.Immutable;

namespace EdgeInfra.Engine.Resources;

/// <summary>One resource as the program wants it: identity, inputs and options.</summary>
/// <param name="Custom">True for provider-backed resources; false for components (grouping only, no provider).</param>
/// <param name="Provider">The provider name that serves a custom resource (e.g. <c>fleetrepo</c>); null for components.</param>
/// <param name="SecretInputs">Input keys whose values are secret: encrypted in state, masked in output.</param>
public sealed record DesiredResource(
    Urn Urn,
    bool Custom,
    Urn? Parent,
    string? Provider,
    PropertyMap Inputs,
    ResourceOptions Options)
{
    public string Type => Urn.Type;
    public string Name => Urn.Name;

    public ImmutableHashSet<string> SecretInputs { get; init; } = [];

    /// <summary>
    /// Identity across sibling stacks (e.g. <c>store/store-budapest</c>). A resource that leaves one ring stack and
    /// appears in another with the same key is moved, never deleted and re-created.
    /// </summary>
    public string? MoveKey { get; init; }

    /// <summary>Free-form grouping tags (e.g. <c>store=store-budapest</c>) that reports and commit trailers use.</summary>
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;
}
