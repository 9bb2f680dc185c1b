using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Automation;

/// <summary>One engine stack a verb acts on: the base stack (Ring null) or a ring stack.</summary>
internal sealed record SelectedStack(DesiredStack Desired, string? Ring)
{
    public string Name => Desired.Stack;
}

/// <summary>Turns <c>--ring</c> / <c>--all-rings</c> into the engine stacks a verb acts on, base stack first.</summary>
internal static class StackSelection
{
    /// <param name="requireChoice">True for verbs that change things: with rings and neither option, refuse rather
    /// than touch every ring at once and bypass the rollout gates.</param>
    public static IReadOnlyList<SelectedStack> Resolve(FleetWorkspace ws, string? ring, bool allRings, bool requireChoice, string verb)
    {
        if (ring is not null && allRings) throw new UsageException("--ring and --all-rings cannot be used together");
        if (ring is not null) return [new(ws.BaseStack, null), new(ws.RingStack(ring), ring)];
        if (requireChoice && !allRings && ws.Rings.Count > 0)
            throw new UsageException(
                $"stack '{ws.Stack}' has rings ({string.Join(", ", ws.Rings.Select(r => r.Name))}); `{verb}` needs --ring RING, " +
                "or --all-rings to change every ring at once, bypassing the rollout gates");
        return [new(ws.BaseStack, null), .. ws.Rings.Select(r => new SelectedStack(ws.RingStack(r.Name), r.Name))];
    }
}
