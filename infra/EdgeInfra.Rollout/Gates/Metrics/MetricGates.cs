using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>Builds the metric gates a stack's <c>edge-infra:health</c> declares over one metrics source.</summary>
public static class MetricGates
{
    public static IReadOnlyList<IGate> Create(HealthSettings health, IMetricsSource source) =>
        [.. health.Gates.Select(g => new MetricGate(g, source))];
}
