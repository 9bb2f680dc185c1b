using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary>Builders for rollout-pass inputs, and a stand-in agent that applies what Fleet promoted.</summary>
internal static class FleetTargets
{
    public static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <summary>Clusters <c>{prefix}{1..count}</c>, each with the BundleDeployment <paramref name="bd"/> (null: none yet).</summary>
    public static List<FleetTarget> Many(int count, FleetBundleDeployment? bd = null, string prefix = "c-",
        IReadOnlyDictionary<string, string>? labels = null) =>
        [.. Enumerable.Range(1, count).Select(i => new FleetTarget($"{prefix}{i}", labels ?? NoLabels, Deployment: bd))];

    /// <summary>Clusters settled on "old": all three IDs "old", ready, not modified.</summary>
    public static List<FleetTarget> SettledOld(int count, string prefix = "c-") => Many(count, FleetBundleDeployment.Settled("old"), prefix);

    public static FleetTarget Labelled(string name, params (string Key, string Value)[] labels) =>
        new(name, labels.ToDictionary(l => l.Key, l => l.Value), Deployment: FleetBundleDeployment.Settled("old"));

    /// <summary>The next pass's targets: each agent applied its <c>spec.deploymentID</c> and reports ready
    /// (except <paramref name="stuck"/>, which never applies anything).</summary>
    public static List<FleetTarget> AfterAgents(IReadOnlyList<FleetTarget> targets, RolloutPassResult result, params string[] stuck) =>
        [.. targets.Select(t =>
        {
            if (!result.Deployments.TryGetValue(t.Name, out var bd)) return t with { Deployment = null };
            return stuck.Contains(t.Name)
                ? t with { Deployment = bd }
                : t with { Deployment = bd with { AppliedDeploymentID = bd.DeploymentID, Ready = true, NonModified = true, Deployed = true } };
        })];

    /// <summary>A test-table int-or-percent: <c>"i:N"</c> integer, <c>"s:TEXT"</c> string, null absent.</summary>
    public static IntOrPercent? Value(string? spec) => spec switch
    {
        null => (IntOrPercent?)null,
        _ when spec.StartsWith("i:", StringComparison.Ordinal) => IntOrPercent.FromInt(int.Parse(spec[2..], System.Globalization.CultureInfo.InvariantCulture)),
        _ => IntOrPercent.FromString(spec[2..]),
    };
}
