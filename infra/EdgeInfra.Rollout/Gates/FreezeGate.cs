using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Rollout.Gates;

/// <summary>No freeze: while the stack is frozen (<c>edgeinfra freeze</c>) no ring is promoted. Rollbacks ignore it.</summary>
public sealed class FreezeGate(FreezeStore freezes) : IGate
{
    public string Name => "freeze";

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) =>
        Task.FromResult(freezes.Current() is { } f
            ? GateResult.Inconclusive(Name, Describe(f))
            : GateResult.Successful(Name, "not frozen"));

    public static string Describe(Freeze f) => $"frozen by {f.Actor} since {f.Since.UtcDateTime:yyyy-MM-dd HH:mm}Z: {f.Reason}";
}
