using EdgeInfra.Service.Rollouts;
using Prometheus;

namespace EdgeInfra.Service;

/// <summary>What the service tells Prometheus: rollouts running, the walker's decisions, gate verdicts per gate and
/// result, ring progress (HTTP request durations come from prometheus-net's middleware).</summary>
internal sealed class ServiceMetrics
{
    public Gauge RolloutsRunning { get; } = Metrics.CreateGauge("edgeinfra_rollouts_running", "Rollouts the service is walking now");

    private readonly Counter _decisions = Metrics.CreateCounter("edgeinfra_rollout_decisions_total", "Walker decisions by kind", "kind");
    private readonly Counter _verdicts = Metrics.CreateCounter("edgeinfra_gate_verdicts_total", "Gate verdicts by gate and result", "gate", "result");
    private readonly Gauge _ringPhase = Metrics.CreateGauge("edgeinfra_ring_phase",
        "1 for the phase each ring of the running rollout is in (applying, baking, holding, promoted, rolled-back)", "ring", "phase");

    private static readonly string[] Phases = ["applying", "baking", "holding", "promoted", "rolled-back"];

    public void Observe(RolloutEvent e)
    {
        _decisions.WithLabels(e.Kind).Inc();
        foreach (var g in e.Gates ?? []) _verdicts.WithLabels(g.Gate, g.Verdict).Inc();
        var phase = e.Kind switch
        {
            "apply" => "applying",
            "gates" => "baking",
            "hold" => "holding",
            "promote" => "promoted",
            "rollback" => "rolled-back",
            _ => null,
        };
        if (e.Ring is null || phase is null) return;
        foreach (var p in Phases) _ringPhase.WithLabels(e.Ring, p).Set(p == phase ? 1 : 0);
    }
}
