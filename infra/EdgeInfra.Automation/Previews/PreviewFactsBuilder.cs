using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>Derives a preview's <see cref="PreviewFacts"/> from the loaded stack and its change views, in milliseconds.</summary>
/// <remarks>The rollout estimate is analytic, not a rehearsal (which simulates every store for ~100 s at 10,000 stores):
/// rings are walked in order from now; a ring takes the longest wait until a window admits the change among its reached
/// stores (only for a <c>next-window</c> or stricter change to a ring that already ran a release, as the walker pauses
/// none on a ring's first release), plus one gate interval to see the ring ready, plus its bake. Fleet's own apply time
/// and gate verdicts other than the bake are not modelled.</remarks>
internal static class PreviewFactsBuilder
{
    private const string AppsPrefix = "apps/";

    public static PreviewFacts Build(FleetWorkspace ws, IReadOnlyList<StackChangeView> views, DateTimeOffset now)
    {
        using var timer = PhaseTimer.Start("preview facts");
        var settings = RolloutConfigReader.Load(ws.Config);
        var model = ws.Model;
        Dictionary<string, Store>? byId = null;
        var rings = new List<RingReach>();
        var startsAfter = TimeSpan.Zero;
        foreach (var ring in ws.Rings)
        {
            if (views.FirstOrDefault(v => v.Ring == ring.Name) is not { HasChanges: true } view) continue;
            IReadOnlyList<Store> reached;
            if (view.BundleChanges) reached = [.. model.StoresInRing(ring.Name)];
            else
            {
                byId ??= model.Stores.ToDictionary(s => s.Id, StringComparer.Ordinal);
                reached = [.. view.Rows.Where(r => r.Store is not null).Select(r => byId.GetValueOrDefault(r.Store!) ?? Unknown(r.Store!))];
            }
            var bundleRows = view.Rows.Where(r => r.Store is null && r.Name.StartsWith(AppsPrefix, StringComparison.Ordinal)).ToList();
            var apps = bundleRows.Select(r => r.Name[AppsPrefix.Length..].Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
            ChangeClass? changeClass = apps.Count > 0 ? CatchUpPolicy.Strictest(model.Apps, apps, settings.CatchUp) : null;
            // A ring's first release (its bundles created) pauses no store for its window.
            var waitsForWindows = changeClass >= ChangeClass.NextWindow && bundleRows.Any(r => r.Op != ChangeOps.Create);
            var start = now + startsAfter;
            var (waiting, longest) = waitsForWindows ? WindowWaits(reached, start) : (0, TimeSpan.Zero);
            var duration = longest + settings.GateInterval + ring.Bake;
            rings.Add(new RingReach(view.Stack, ring.Name, reached.Count, Regions(reached),
                reached.Count <= RingReach.IdsShown ? [.. reached.Select(s => s.Id).Order(StringComparer.Ordinal)] : [],
                changeClass is { } c ? CatchUpPolicy.Name(c) : null, ring.Bake, startsAfter, waiting, longest, duration));
            startsAfter += duration;
        }
        return new PreviewFacts(now, settings.GateInterval, rings, Expiring(model, now), ws.Fleet.Warnings);
    }

    private static Store Unknown(string id) => new(id, System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, SourceLocation.Unknown);

    private static (int Count, TimeSpan Longest) WindowWaits(IEnumerable<Store> stores, DateTimeOffset at)
    {
        var count = 0;
        var longest = TimeSpan.Zero;
        foreach (var store in stores)
        {
            if (MaintenanceWindow.Of(store) is not { } window || window.Admits(at)) continue;
            count++;
            var wait = window.NextAdmission(at) - at;
            if (wait > longest) longest = wait;
        }
        return (count, longest);
    }

    private static SortedDictionary<string, int> Regions(IEnumerable<Store> stores)
    {
        var regions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var store in stores)
        {
            var region = store.Region is { Length: > 0 } r ? r : "(none)";
            regions[region] = regions.GetValueOrDefault(region) + 1;
        }
        return regions;
    }

    private static List<ExpiringOverride> Expiring(FleetModel model, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var horizon = today.AddDays(PreviewFacts.ExpiryHorizonDays);
        return [.. model.Overrides
            .Where(o => o.Expires is { } e && e >= today && e <= horizon)
            .OrderBy(o => o.Expires).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => new ExpiringOverride(o.Name, o.App, o.Scope.ToString().ToLowerInvariant(), o.Match, o.Owner, o.Expires!.Value,
                o.Expires.Value.DayNumber - today.DayNumber))];
    }
}
