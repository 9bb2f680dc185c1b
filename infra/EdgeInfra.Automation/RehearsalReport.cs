using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab.Config;
using EdgeInfra.Lab.Simulator;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Automation;

/// <summary>What a rehearsal predicts: per-ring timings on the virtual clock, WAN bytes per region, window misses,
/// offline stores, the verdict, and what the simulator assumed.</summary>
public sealed record RehearsalReport(
    string Stack,
    string CurrentRelease,
    string ProposedRelease,
    bool WouldComplete,
    string Verdict,
    TimeSpan Total,
    IReadOnlyList<RehearsalRing> Rings,
    IReadOnlyList<RehearsalRegion> Regions,
    IReadOnlyList<RehearsalWindowMiss> WindowMisses,
    IReadOnlyList<string> OfflineStores,
    RehearsalAssumptions Assumptions)
{
    /// <summary>The proposed release's app images, pinned to digests as its rollout would pin them.</summary>
    public IReadOnlyList<PinnedImage> Images { get; init; } = [];

    public static RehearsalReport From(string stack, FleetModel current, FleetModel proposed, LabSettings lab, RolloutResult result,
        LabStats before, LabStats after, DateTimeOffset start)
    {
        var state = result.State;
        var rings = state.Rings.Select(r => new RehearsalRing(r.Ring, r.Phase.ToString(),
            Since(start, r.AppliedAt), Since(start, r.ReadyAt), Since(start, r.PromotedAt),
            r.ReadyAt - r.AppliedAt, r.PromotedAt - r.AppliedAt)).ToList();
        var applies = after.Applies.Skip(before.Applies.Count).ToList();
        var regions = applies.GroupBy(a => a.Region, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RehearsalRegion(g.Key, g.Sum(a => a.WanBytes), g.Count(a => a.MirrorHit), g.Count(a => !a.MirrorHit)))
            .ToList();
        var windowed = WaitsForWindows(current, proposed);
        var misses = new List<RehearsalWindowMiss>();
        if (windowed)
            // Exactly the stores the walker paused for their window (a ring's first release pauses none), with the wait
            // it simulated: the timeline above includes every one of these waits.
            foreach (var ring in state.Rings.Where(r => r is { AppliedAt: not null, LastKnownGood: not null }))
                foreach (var store in proposed.StoresInRing(ring.Ring).OrderBy(s => s.Id, StringComparer.Ordinal))
                    if (MaintenanceWindow.Of(store) is { } w && !w.Admits(ring.AppliedAt!.Value))
                        misses.Add(new RehearsalWindowMiss(store.Id, ring.Ring, w.Describe(), w.NextAdmission(ring.AppliedAt.Value) - ring.AppliedAt.Value));
        var offline = state.Rings.SelectMany(r => r.Observed).Where(o => o.Value == "offline").Select(o => o.Key)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var complete = result.Outcome == RolloutOutcome.Completed;
        var verdict = result.Outcome switch
        {
            RolloutOutcome.Completed => "would complete",
            RolloutOutcome.RolledBack => $"would roll back at ring {state.BreachRing} because {state.Breach ?? result.Reason}",
            _ => $"would not complete: {result.Reason}",
        };
        var assumptions = new RehearsalAssumptions(lab.Agents.CheckinInterval, new SortedDictionary<string, double>(lab.NetworkTierMbps.ToDictionary(), StringComparer.Ordinal),
            lab.DefaultMbps, new SortedDictionary<string, double>(lab.ImageSizeMb.ToDictionary(), StringComparer.Ordinal), lab.DefaultImageSizeMb,
            lab.Seed);
        return new RehearsalReport(stack, Release(current), Release(proposed), complete, verdict, (state.Ended ?? after.Now) - start,
            rings, regions, misses, offline, assumptions);
    }

    private static TimeSpan? Since(DateTimeOffset start, DateTimeOffset? at) => at - start;

    private static string Release(FleetModel model) => string.Join(",", model.Apps.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}={a.Version}"));

    /// <summary>True when an app the release changes is not an immediate change, so stores wait for their windows.</summary>
    private static bool WaitsForWindows(FleetModel current, FleetModel proposed)
    {
        var was = current.Apps.ToDictionary(a => a.Name, a => a.Version, StringComparer.Ordinal);
        return proposed.Apps.Any(a => was.GetValueOrDefault(a.Name) != a.Version && a.ChangeClass != ChangeClass.Immediate);
    }
}

/// <summary>One ring of a rehearsal, times relative to the start of the proposed release's walk.</summary>
public sealed record RehearsalRing(string Ring, string Phase, TimeSpan? AppliedAt, TimeSpan? ReadyAt, TimeSpan? BakeEndAt,
    TimeSpan? ApplyToReady, TimeSpan? ApplyToBakeEnd);

/// <summary>What one region pulled during the rehearsal: WAN bytes, and applies served by the zone mirror or not.</summary>
public sealed record RehearsalRegion(string Region, long WanBytes, int MirrorHits, int MirrorMisses);

/// <summary>A store outside its maintenance window when its ring opened: it waits this long for the next opening.</summary>
public sealed record RehearsalWindowMiss(string Store, string Ring, string Window, TimeSpan WaitsFor);

/// <summary>What the simulator assumed (LabSettings.Default when the stack has no <c>edge-infra:lab</c>).</summary>
public sealed record RehearsalAssumptions(TimeSpan CheckinInterval, IReadOnlyDictionary<string, double> NetworkTierMbps, double DefaultMbps,
    IReadOnlyDictionary<string, double> ImageSizeMb, double DefaultImageSizeMb, ulong Seed);
