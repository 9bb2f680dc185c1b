using EdgeInfra.Rollout.Policy;

namespace EdgeInfra.Rollout.Gates;

/// <summary>The ring's bake time: Successful once the ring has been ready for its configured bake (30m, 2h, …).</summary>
/// <remarks>The bake counts from when the ring became ready, not from when it was applied, so a slow image pull does not
/// eat into it. Both waits are expected (the walker bounds the wait for readiness by the hold timeout). An emergency
/// rollback never consults it.</remarks>
public sealed class BakeGate : IGate
{
    public const string GateName = "bake";

    public string Name => GateName;

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var bake = context.Ring.Bake;
        if (context.RingReadyAt is not { } readyAt)
            return Task.FromResult(bake > TimeSpan.Zero
                ? GateResult.Waiting(Name, $"bake {Durations.Format(bake)} starts when the ring is ready")
                : GateResult.Waiting(Name, "waiting for the ring to be ready"));
        var baked = context.Now - readyAt;
        return Task.FromResult(baked >= bake
            ? GateResult.Successful(Name, bake > TimeSpan.Zero ? $"baked {Durations.Format(bake)}" : "no bake time")
            : GateResult.Waiting(Name, $"baking {Durations.Format(baked)} of {Durations.Format(bake)}"));
    }
}
