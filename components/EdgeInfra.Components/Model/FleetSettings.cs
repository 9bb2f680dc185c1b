namespace EdgeInfra.Components.Model;

/// <summary>Hub-side settings: Fleet workspace, how GitRepos reach the fleet repo, and polling.</summary>
/// <param name="RepoUrl">The fleet repo URL as Fleet's GitRepo objects should see it.</param>
/// <param name="K3sVersion">The K3s version stores run (rendered into their install config).</param>
public sealed record FleetSettings(
    string Workspace,
    string RepoUrl,
    string Branch,
    string PollingInterval,
    string K3sVersion)
{
    /// <summary>The Fleet controller shards the stack's GitRepos are spread over; unsharded by default.</summary>
    public Sharding.FleetSharding Sharding { get; init; } = Components.Sharding.FleetSharding.None;
}
