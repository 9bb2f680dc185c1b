using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;

namespace EdgeInfra.Automation;

/// <summary>Plans every selected stack against its recorded state, as <c>preview</c> shows it and <c>up</c> confirms it.</summary>
internal static class StackPreviews
{
    public static async Task<IReadOnlyList<(SelectedStack Stack, StackChangeView View)>> PlanAsync(
        FleetWorkspace ws, IReadOnlyList<SelectedStack> selected, UpdateOptions options, TimeProvider time, CancellationToken ct)
    {
        await ws.StateLoaded;
        using var session = EngineSession.Open(ws, ws.Stack, time);
        var previews = new List<(SelectedStack, StackChangeView)>();
        foreach (var s in selected)
        {
            Plan plan;
            using (PhaseTimer.Start($"plan {s.Name}"))
                plan = await session.Engine.PreviewAsync(s.Desired, options with { Siblings = [.. ws.Siblings(s.Ring)] }, ct);
            previews.Add((s, ChangeViews.From(plan, s.Desired, s.Ring)));
        }
        return previews;
    }
}
