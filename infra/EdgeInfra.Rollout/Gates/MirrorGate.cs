using EdgeInfra.Engine;
using EdgeInfra.Rollout.Mirror;

namespace EdgeInfra.Rollout.Gates;

/// <summary>The mirror gate: a ring may promote only when the mirror of every registry zone its stores use serves
/// every image of the release at the upstream's digest.</summary>
/// <remarks>
/// A mirror that lacks an image holds the ring (Inconclusive, naming zone × image and the fix, <c>mirror warm</c>):
/// stores would pull from the upstream or fail, but nothing about the release is wrong. A mirror or upstream that does
/// not answer holds too. Only a release image that does not exist upstream fails the ring: no store can run it.
/// </remarks>
public sealed class MirrorGate(MirrorRegistries registries) : IGate
{
    public string Name => "mirror";

    public async Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<MirrorTarget> targets;
        try { targets = MirrorTargets.For(context.Model, context.Stores, context.Releases); }
        catch (InputException e) { return GateResult.Inconclusive(Name, string.Join("; ", e.Problems)); }
        if (targets.Count == 0) return GateResult.Successful(Name, "no release image is pulled through a mirror in this ring's zones");

        var observations = await new MirrorInspector(registries).InspectAsync(targets, cancellationToken);
        var bad = observations.Where(o => o.State != MirrorState.Serves).ToList();
        if (bad.Count == 0)
        {
            var zones = targets.Select(t => t.Zone.Name).Distinct().Count();
            var images = targets.Select(t => t.Image).Distinct().Count();
            var which = targets.All(t => t.Digest is not null) ? "pinned" : "upstream";
            return GateResult.Successful(Name, $"{zones} zone(s) serve all {images} release image(s) at their {which} digests");
        }

        var stores = bad.SelectMany(o => o.Target.Stores).Distinct(StringComparer.Ordinal).ToList();
        var reason = string.Join("; ", bad.Select(o => $"{o.Target.Zone.Name} × {o.Target.Image}: {Describe(o)}"));
        if (bad.Any(o => o.State == MirrorState.UpstreamMissing))
            return GateResult.Failed(Name, reason, stores);
        if (bad.Any(o => o.State == MirrorState.Missing))
            reason += $" (run: edgeinfra mirror warm --stack {context.Model.Stack} --ring {context.Ring.Name})";
        return GateResult.Inconclusive(Name, reason, stores);
    }

    private static string Describe(MirrorObservation o) => o.State switch
    {
        MirrorState.Missing => $"missing {Short(o.Digest)} ({o.Detail})",
        MirrorState.MirrorUnreachable => $"mirror unreachable ({o.Detail})",
        MirrorState.UpstreamUnreachable => $"upstream unreachable ({o.Detail})",
        MirrorState.UpstreamMissing => $"no such image upstream ({o.Detail})",
        _ => "serves",
    };

    private static string Short(string? digest) => digest is { Length: > 19 } ? digest[..19] : digest ?? "?";
}
