using EdgeInfra.Lab.Config;

namespace EdgeInfra.Lab.Simulator;

/// <summary>What a simulation is started with: settings, the active scenario, where the fleet repo is and which zones mirror.</summary>
/// <param name="MirrorZones">Registry zones that run a mirror; null means every zone a store names has one.</param>
/// <param name="HubPollInterval">How often the hub re-reads <c>hub/</c> (the bootstrap GitRepo's pollingInterval).</param>
internal sealed record SimulationSetup(
    LabSettings Settings,
    LabScenario Scenario,
    ulong Seed,
    FleetRepoReader Repo,
    IReadOnlySet<string>? MirrorZones,
    TimeSpan HubPollInterval)
{
    /// <summary>The controller shard ids the hub runs besides the default controller ("").</summary>
    public IReadOnlySet<string> ControllerShards { get; init; } = new HashSet<string>();
}
