using EdgeInfra.Components.Model;

namespace EdgeInfra.Stacks;

/// <summary>Where EdgeInfra pushes the rendered fleet repo (not necessarily the URL Fleet's GitRepos read from).</summary>
/// <param name="Url">A Git URL, or an absolute path to a local (bare) repository.</param>
public sealed record FleetRepoTarget(string Url, string Branch);

/// <summary>A stack loaded from its inventory and config: the validated fleet model and where its output goes.</summary>
/// <param name="InventoryPath">Absolute path of the inventory file the stores came from.</param>
public sealed record LoadedFleet(FleetModel Model, FleetRepoTarget Repo, string InventoryPath)
{
    /// <summary>Things worth telling the operator that do not stop a preview (e.g. a registry secret not set).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
