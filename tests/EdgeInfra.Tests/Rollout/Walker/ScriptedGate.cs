using EdgeInfra.Rollout.Gates;

namespace EdgeInfra.Tests.Rollout.Walker;

/// <summary>A gate whose verdict a test decides per evaluation (a stand-in for the metric gates).</summary>
internal sealed class ScriptedGate(string name, Func<GateContext, GateResult> verdict) : IGate
{
    public string Name => name;
    public List<GateContext> Seen { get; } = [];

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        Seen.Add(context);
        return Task.FromResult(verdict(context));
    }
}
