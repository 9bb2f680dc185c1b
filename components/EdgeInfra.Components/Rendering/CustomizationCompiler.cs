using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;

namespace EdgeInfra.Components.Rendering;

/// <summary>Compiles layered overrides and overlays into Fleet's first-match <c>targetCustomizations</c>.</summary>
/// <remarks>
/// Stores are grouped by their effective options; every group that differs from the bundle root gets exactly one
/// customization carrying the fully merged values (Fleet applies only the first match). Selectors are chosen from the
/// most natural that works: <c>clusterName</c> for one store, the overlay's labels, the store's <c>region</c>, else
/// <c>site-id In [...]</c>. A broad selector is accepted when every extra store it matches in the ring is already
/// claimed by an earlier, more specific customization, so first-match order keeps it exact.
/// </remarks>
internal static class CustomizationCompiler
{
    private sealed record Group(EffectiveOptions Options, List<Store> Stores)
    {
        public string FirstId => Stores[0].Id;
    }

    public static JsonArray Compile(
        IReadOnlyList<Store> ringStores,
        EffectiveOptions root,
        Func<Store, EffectiveOptions> effective,
        Func<EffectiveOptions, JsonObject> options,
        IReadOnlyDictionary<string, ImmutableSortedDictionary<string, string>> overlaySelectors)
    {
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var store in ringStores)
        {
            var eff = effective(store);
            if (eff.Key == root.Key) continue;
            if (!groups.TryGetValue(eff.Key, out var g)) groups[eff.Key] = g = new Group(eff, []);
            g.Stores.Add(store);
        }
        if (groups.Count == 0) return [];

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var emitted = new List<(string Name, JsonObject Matcher, Group Group)>();
        void Emit(string name, JsonObject matcher, Group group)
        {
            emitted.Add((name, matcher, group));
            foreach (var s in group.Stores) claimed.Add(s.Id);
        }

        var ordered = groups.Values.OrderBy(g => g.FirstId, StringComparer.Ordinal).ToList();
        foreach (var g in ordered.Where(g => g.Stores.Count == 1))
            Emit($"site-{g.FirstId}", new JsonObject { ["clusterName"] = g.FirstId }, g);

        var pending = ordered.Where(g => g.Stores.Count > 1).ToList();
        var regionCandidates = new List<Group>();
        var exact = new List<Group>();
        foreach (var g in pending)
        {
            var labels = OverlayLabels(g.Options.Overlays, overlaySelectors);
            if (labels.Count > 0 && CoversOnly(ringStores, s => HasLabels(s, labels), g, claimed))
                Emit(string.Join("-", labels.Select(l => $"{l.Key}-{l.Value}")), SelectorMatcher(labels), g);
            else if (SameRegion(g) is not null)
                regionCandidates.Add(g);
            else
                exact.Add(g);
        }

        foreach (var g in exact) EmitExact(g, Emit);
        // A region selector is checked only now, when every more specific customization has claimed its stores.
        var regionFeasible = regionCandidates
            .Where(g => SameRegion(g) is { } region && CoversOnly(ringStores, s => s.Region == region, g, claimed))
            .ToList();
        foreach (var g in regionCandidates.Except(regionFeasible)) EmitExact(g, Emit);
        foreach (var g in regionFeasible)
        {
            var region = SameRegion(g)!;
            Emit($"region-{region}", SelectorMatcher(new SortedDictionary<string, string> { [StoreLabels.Region] = region }), g);
        }

        var result = new JsonArray();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, matcher, group) in emitted)
        {
            var unique = name;
            for (var n = 2; !usedNames.Add(unique); n++) unique = $"{name}-{n}";
            var customization = new JsonObject { ["name"] = unique };
            foreach (var (k, v) in matcher) customization[k] = v?.DeepClone();
            foreach (var (k, v) in options(group.Options)) customization[k] = v?.DeepClone();
            result.Add(customization);
        }
        return result;
    }

    private static void EmitExact(Group g, Action<string, JsonObject, Group> emit)
    {
        var siteIds = g.Stores.Select(s => s.Label(StoreLabels.SiteId)).ToList();
        if (siteIds.All(id => !string.IsNullOrEmpty(id)) && siteIds.Distinct(StringComparer.Ordinal).Count() == siteIds.Count)
        {
            var values = new JsonArray();
            foreach (var id in siteIds.Order(StringComparer.Ordinal)) values.Add(id);
            var matcher = new JsonObject
            {
                ["clusterSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject
                    {
                        ["key"] = StoreLabels.SiteId, ["operator"] = "In", ["values"] = values,
                    }),
                },
            };
            emit($"sites-{g.FirstId}-and-{g.Stores.Count - 1}", matcher, g);
            return;
        }
        // Without unique site-id labels only names are exact: one customization per store.
        foreach (var s in g.Stores)
            emit($"site-{s.Id}", new JsonObject { ["clusterName"] = s.Id }, new Group(g.Options, [s]));
    }

    /// <summary>True when the selector matches every store of the group and, among the rest, only claimed ones.</summary>
    private static bool CoversOnly(IReadOnlyList<Store> ring, Func<Store, bool> selects, Group group, HashSet<string> claimed)
    {
        var members = group.Stores.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var s in ring)
        {
            var hit = selects(s);
            if (members.Contains(s.Id)) { if (!hit) return false; continue; }
            if (hit && !claimed.Contains(s.Id))
                return false;
        }
        return true;
    }

    private static string? SameRegion(Group g)
    {
        var region = g.Stores[0].Region;
        return region is not null && g.Stores.All(s => s.Region == region) ? region : null;
    }

    private static bool HasLabels(Store s, IReadOnlyDictionary<string, string> labels) =>
        labels.All(l => s.Label(l.Key) == l.Value);

    private static SortedDictionary<string, string> OverlayLabels(
        ImmutableArray<string> overlays, IReadOnlyDictionary<string, ImmutableSortedDictionary<string, string>> selectors)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in overlays)
            if (selectors.TryGetValue(o, out var sel))
                foreach (var (k, v) in sel) labels[k] = v;
        return labels;
    }

    private static JsonObject SelectorMatcher(IReadOnlyDictionary<string, string> labels)
    {
        var matchLabels = new JsonObject();
        foreach (var (k, v) in labels) matchLabels[k] = v;
        return new JsonObject { ["clusterSelector"] = new JsonObject { ["matchLabels"] = matchLabels } };
    }
}
