using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs;

/// <summary>Where EdgeInfra pushes the rendered fleet repo (not necessarily the URL Fleet's GitRepos read from).</summary>
/// <param name="Url">A Git URL, or an absolute path to a local (bare) repository.</param>
public sealed record FleetRepoTarget(string Url, string Branch);

/// <summary>A stack loaded from its inventory and config: the validated fleet model and where its output goes.</summary>
/// <param name="InventoryPath">Absolute path of the inventory file the stores came from.</param>
public sealed record LoadedFleet(FleetModel Model, FleetRepoTarget Repo, string InventoryPath)
{
    /// <summary>Things worth telling the operator that do not stop a preview (e.g. a registry secret not set).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Cache writes held back until the run is accepted: a refused run writes nothing.</summary>
    internal IReadOnlyList<Action> PendingWrites { get; init; } = [];

    /// <summary>Writes what loading held back (the inventory's parse cache); call once everything else is validated.</summary>
    public void CommitWrites()
    {
        foreach (var write in PendingWrites) write();
    }
}
