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
        var rootIds = new HashSet<string>(StringComparer.Ordinal);
        var byRegion = new Dictionary<string, List<Store>>(StringComparer.Ordinal);
        foreach (var store in ringStores)
        {
            if (store.Region is { } r)
            {
                if (!byRegion.TryGetValue(r, out var list)) byRegion[r] = list = [];
                list.Add(store);
            }
            var eff = effective(store);
            if (eff.Key == root.Key) { rootIds.Add(store.Id); continue; }
            if (!groups.TryGetValue(eff.Key, out var g)) groups[eff.Key] = g = new Group(eff, []);
            g.Stores.Add(store);
        }
        if (groups.Count == 0) return [];

        // site-id In [...] is exact only for site ids no other store of the ring shares.
        var siteIdCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in ringStores)
            if (s.Label(StoreLabels.SiteId) is { Length: > 0 } id) siteIdCounts[id] = siteIdCounts.GetValueOrDefault(id) + 1;

        var matchedCache = new Dictionary<string, List<Store>>(StringComparer.Ordinal);
        List<Store> MatchedBy(SortedDictionary<string, string> labels)
        {
            var key = SelectorKey(labels);
            if (matchedCache.TryGetValue(key, out var hit)) return hit;
            IEnumerable<Store> scope = labels.TryGetValue(StoreLabels.Region, out var region)
                ? byRegion.GetValueOrDefault(region) ?? []
                : ringStores;
            return matchedCache[key] = scope.Where(s => HasLabels(s, labels)).ToList();
        }

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var emitted = new List<(string Name, JsonObject Matcher, Group Group, bool Exact)>();
        void Emit(string name, JsonObject matcher, Group group)
        {
            emitted.Add((name, matcher, group, matcher["clusterName"] is not null || matcher["clusterSelector"]?["matchExpressions"] is not null));
            foreach (var s in group.Stores) claimed.Add(s.Id);
        }
        void EmitExactly(Group g) => EmitExact(g, siteIdCounts, Emit);

        var ordered = groups.Values.OrderBy(g => g.FirstId, StringComparer.Ordinal).ToList();
        foreach (var g in ordered.Where(g => g.Stores.Count == 1))
            Emit($"site-{g.FirstId}", new JsonObject { ["clusterName"] = g.FirstId }, g);

        // A label selector that catches a root-valued store can never work (nothing claims those stores first).
        var viable = new Dictionary<Group, List<SortedDictionary<string, string>>>();
        var pending = new List<Group>();
        foreach (var g in ordered.Where(g => g.Stores.Count > 1))
        {
            var selectors = NaturalSelectors(g, overlaySelectors).Where(l => !MatchedBy(l).Any(s => rootIds.Contains(s.Id))).ToList();
            if (selectors.Count == 0) EmitExactly(g);
            else { viable[g] = selectors; pending.Add(g); }
        }

        // The rest become usable as other groups claim their stores, so try until nothing moves. When stuck, of the
        // groups wanting the same selector only the largest keeps waiting; the others take exact site-id selectors.
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var g in pending.ToList())
            {
                var members = g.Stores.Select(st => st.Id).ToHashSet(StringComparer.Ordinal);
                var labels = viable[g].FirstOrDefault(l => MatchedBy(l).All(s => members.Contains(s.Id) || claimed.Contains(s.Id)));
                if (labels is null) continue;
                Emit(string.Join("-", labels.Select(l => $"{l.Key}-{l.Value}")), SelectorMatcher(labels), g);
                pending.Remove(g);
                progress = true;
            }
            if (progress) continue;
            var giveUp = pending.GroupBy(g => SelectorKey(viable[g][0]))
                .SelectMany(b => b.OrderByDescending(g => g.Stores.Count).ThenBy(g => g.FirstId, StringComparer.Ordinal).Skip(1))
                .ToList();
            if (giveUp.Count == 0)
                giveUp = [pending.OrderBy(g => g.Stores.Count).ThenBy(g => g.FirstId, StringComparer.Ordinal).First()];
            foreach (var g in giveUp)
            {
                EmitExactly(g);
                pending.Remove(g);
            }
        }

        var result = new JsonArray();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        // Exact selectors match only their own group, so moving them first keeps first-match results and reads
        // most specific first; label selectors keep their claim order, which their correctness depends on.
        foreach (var (name, matcher, group, _) in emitted.Where(e => e.Exact).Concat(emitted.Where(e => !e.Exact)))
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

    private static void EmitExact(Group g, Dictionary<string, int> siteIdCounts, Action<string, JsonObject, Group> emit)
    {
        var siteIds = g.Stores.Select(s => s.Label(StoreLabels.SiteId)).ToList();
        if (siteIds.All(id => id is not null && siteIdCounts.GetValueOrDefault(id) == 1))
        {
            var values = new JsonArray();
            foreach (var id in siteIds.Order(StringComparer.Ordinal)) values.Add(id!);
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

    private static string SelectorKey(IReadOnlyDictionary<string, string> labels) =>
        string.Join("\n", labels.Select(l => $"{l.Key}={l.Value}"));

    private static string? SameRegion(Group g)
    {
        var region = g.Stores[0].Region;
        return region is not null && g.Stores.All(s => s.Region == region) ? region : null;
    }

    /// <summary>Label selectors to try for a group, most natural first: its overlays' labels, those plus its region, its region.</summary>
    private static IEnumerable<SortedDictionary<string, string>> NaturalSelectors(
        Group g, IReadOnlyDictionary<string, ImmutableSortedDictionary<string, string>> overlaySelectors)
    {
        var overlay = OverlayLabels(g.Options.Overlays, overlaySelectors);
        var region = SameRegion(g);
        if (overlay.Count > 0)
        {
            yield return overlay;
            if (region is not null && !overlay.ContainsKey(StoreLabels.Region))
                yield return new SortedDictionary<string, string>(overlay, StringComparer.Ordinal) { [StoreLabels.Region] = region };
        }
        if (region is not null)
            yield return new SortedDictionary<string, string>(StringComparer.Ordinal) { [StoreLabels.Region] = region };
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
