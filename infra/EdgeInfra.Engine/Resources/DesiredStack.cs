using System.Collections.Immutable;

namespace EdgeInfra.Engine.Resources;

/// <summary>Everything one stack's program declares: its resources (parents before children) and its outputs.</summary>
public sealed record DesiredStack(
    string Stack,
    string Project,
    ImmutableArray<DesiredResource> Resources,
    ImmutableSortedDictionary<string, string> Outputs)
{
    public Urn RootUrn => Urn.Create(Stack, Project, Urn.StackRootType, $"{Project}-{Stack}");
}
