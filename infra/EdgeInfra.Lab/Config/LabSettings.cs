namespace EdgeInfra.Lab.Config;

/// <summary>The lab Fleet simulator's settings (<c>edge-infra:lab</c>): seed, agent timings, network, images, traffic, offline schedules and scenarios.</summary>
/// <param name="Seed">Every random choice of a run derives from it: same seed, same events at the same virtual times.</param>
/// <param name="NetworkTierMbps">Download bandwidth per <c>network-tier</c> label value, in Mbit/s.</param>
/// <param name="DefaultMbps">Bandwidth of a store whose tier is not listed.</param>
/// <param name="ImageSizeMb">Compressed image size in MB, by app name (or image repository).</param>
/// <param name="MirrorMisses">Registry-zone mirrors that lack an app's image (then the store pulls over the WAN).</param>
/// <param name="TrafficRps">Requests per second per <c>traffic-tier</c> label value.</param>
/// <param name="Offline">Offline schedules that apply to every run (a scenario may add more).</param>
public sealed record LabSettings(
    ulong Seed,
    AgentTimings Agents,
    IReadOnlyDictionary<string, double> NetworkTierMbps,
    double DefaultMbps,
    IReadOnlyDictionary<string, double> ImageSizeMb,
    double DefaultImageSizeMb,
    IReadOnlyList<MirrorMiss> MirrorMisses,
    IReadOnlyDictionary<string, double> TrafficRps,
    double DefaultRps,
    LatencyProfile Latency,
    IReadOnlyList<OfflineSchedule> Offline,
    IReadOnlyDictionary<string, LabScenario> Scenarios)
{
    public const ulong DefaultSeed = 42;

    public static IReadOnlyDictionary<string, double> DefaultNetworkTiers { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["fiber"] = 500, ["dsl"] = 50, ["lte"] = 20, ["satellite"] = 8,
    };

    public static IReadOnlyDictionary<string, double> DefaultTraffic { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["high"] = 40, ["medium"] = 15, ["low"] = 4,
    };

    /// <summary>The settings of a lab with no <c>edge-infra:lab</c> config.</summary>
    public static LabSettings Default { get; } = new(DefaultSeed, AgentTimings.Default, DefaultNetworkTiers, 20,
        new Dictionary<string, double>(StringComparer.Ordinal), 150, [], DefaultTraffic, 5, LatencyProfile.Default, [],
        new Dictionary<string, LabScenario>(StringComparer.Ordinal));

    /// <summary>The named scenario; throws <see cref="LabConfigException"/> naming the known ones when it is not defined.</summary>
    public LabScenario Scenario(string? name)
    {
        if (string.IsNullOrEmpty(name)) return LabScenario.None;
        if (Scenarios.TryGetValue(name, out var s)) return s;
        var known = Scenarios.Count == 0 ? "none are defined" : "known: " + string.Join(", ", Scenarios.Keys.Order(StringComparer.Ordinal));
        throw new LabConfigException([$"edge-infra:lab: scenario '{name}' is not defined ({known})"]);
    }
}

/// <summary>How simulated Fleet agents and the controller behave in time.</summary>
/// <param name="CheckinInterval">Heartbeat period (<c>Cluster.status.agent.lastSeen</c>); Fleet's default is 15m.</param>
/// <param name="Jitter">Upper bound of the random delay added to each check-in and each agent reaction.</param>
/// <param name="ApplyTime">Helm install/upgrade after the images are pulled.</param>
/// <param name="ReadyTime">From applied to Ready (pods starting).</param>
/// <param name="ControllerDelay">How long the Fleet controller takes to react to a change (requeue of a bundle).</param>
/// <param name="WanPenalty">A mirror miss pulls across the WAN: the pull takes this many times longer.</param>
public sealed record AgentTimings(TimeSpan CheckinInterval, TimeSpan Jitter, TimeSpan ApplyTime, TimeSpan ReadyTime,
    TimeSpan ControllerDelay, double WanPenalty)
{
    /// <summary>Bundle targets one Fleet controller evaluates per second (each reconcile walks every target cluster of
    /// its bundle); each controller shard has its own. 0: unbounded, a reconcile costs no controller time.</summary>
    public double ControllerThroughput { get; init; }

    public static AgentTimings Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1), 1.5);
}

/// <summary>The app latency distribution of a healthy store (log-normal through these two quantiles).</summary>
public sealed record LatencyProfile(TimeSpan P50, TimeSpan P99)
{
    public static LatencyProfile Default { get; } = new(TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(180));
}

/// <summary>A registry-zone mirror that lacks an app's image at a version (<c>*</c> for every version).</summary>
public sealed record MirrorMiss(string Zone, string App, string Version)
{
    public bool Matches(string zone, string app, string version) =>
        Zone == zone && (App == "*" || App == app) && (Version == "*" || Version == version);
}

/// <summary>A share of the stores that match a label selector goes offline for a window, relative to the lab's start.</summary>
public sealed record OfflineSchedule(double Share, IReadOnlyDictionary<string, string> Selector, TimeSpan Start, TimeSpan Duration);

/// <summary>What a fault does to a store that runs the faulty release.</summary>
public enum FaultEffect
{
    /// <summary>The app answers a share of requests with HTTP 500.</summary>
    Errors,
    /// <summary>The app is slow: its p99 latency becomes the fault's.</summary>
    Latency,
    /// <summary>The agent fails to apply the deployment: BundleDeployment ErrApplied.</summary>
    ErrApplied,
    /// <summary>Applied but never Ready.</summary>
    NotReady,
}

/// <summary>A fault injected into the stores matching <see cref="Selector"/> while they run <see cref="App"/> at <see cref="Version"/>.</summary>
/// <param name="Version">The faulty release, or <c>*</c> for every release.</param>
public sealed record FaultSpec(string App, string Version, IReadOnlyDictionary<string, string> Selector, FaultEffect Effect,
    double ErrorRate, TimeSpan P99)
{
    public bool Matches(string app, string version, IReadOnlyDictionary<string, string> labels) =>
        App == app && (Version == "*" || Version == version) &&
        Selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

/// <summary>A named scenario: faults and extra offline schedules (<c>edgeinfra rollout --scenario NAME</c>).</summary>
public sealed record LabScenario(string Name, IReadOnlyList<FaultSpec> Faults, IReadOnlyList<OfflineSchedule> Offline)
{
    public static LabScenario None { get; } = new("", [], []);
}

/// <summary>Bad <c>edge-infra:lab</c> config: every problem, each with file and line.</summary>
public sealed class LabConfigException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
