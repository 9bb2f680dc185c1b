namespace EdgeInfra.StackInputs.Config;

/// <summary>The rollout host's metric health gates (<c>edge-infra:health</c>): where the metrics come from and the
/// gates judged on them.</summary>
/// <param name="Prometheus">The Prometheus base URL; null in the lab, which scrapes the simulator's metrics itself.</param>
/// <param name="Gates">The metric gates in configured order (the field's defaults when none are configured).</param>
public sealed record HealthSettings(Uri? Prometheus, IReadOnlyList<MetricGateSpec> Gates, TimeSpan RequestTimeout)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);
}
