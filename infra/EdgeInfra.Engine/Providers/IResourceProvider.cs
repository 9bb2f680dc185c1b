using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Providers;

/// <summary>A provider: performs create/update/delete/read for the custom resources that name it.</summary>
/// <remarks>
/// Providers may be transactional (the fleet repo stages file writes and publishes them as one commit): the engine calls
/// <see cref="BeginAsync"/> before the first step and <see cref="CompleteAsync"/> after the last, and only journals
/// steps as done once <see cref="CompleteAsync"/> returned. A crash before that leaves pending operations that the
/// next run resolves with <see cref="ReadAsync"/>.
/// </remarks>
public interface IResourceProvider
{
    string Name { get; }

    /// <summary>Input keys whose change means the resource must be replaced rather than updated.</summary>
    IReadOnlySet<string> ReplaceKeys(string type);

    ValueTask BeginAsync(ChangeDescription change, CancellationToken ct);

    /// <summary>Creates the resource; returns its id and outputs.</summary>
    ValueTask<ProviderResult> CreateAsync(DesiredResource desired, CancellationToken ct);

    ValueTask<ProviderResult> UpdateAsync(ResourceState current, DesiredResource desired, CancellationToken ct);

    ValueTask DeleteAsync(ResourceState current, CancellationToken ct);

    /// <summary>Reads the live resource; null when it does not exist.</summary>
    ValueTask<ProviderResult?> ReadAsync(ResourceState current, CancellationToken ct);

    /// <summary>Publishes everything staged since <see cref="BeginAsync"/> (e.g. commit and push); returns a revision id or null.</summary>
    ValueTask<string?> CompleteAsync(CancellationToken ct);
}

/// <summary>What a provider reports back for one resource.</summary>
public sealed record ProviderResult(string Id, PropertyMap Inputs, PropertyMap Outputs);

/// <summary>Why a change is being made: the message and trailers a transactional provider records with it.</summary>
public sealed record ChangeDescription(string Stack, string Message, IReadOnlyList<KeyValuePair<string, string>> Trailers);
