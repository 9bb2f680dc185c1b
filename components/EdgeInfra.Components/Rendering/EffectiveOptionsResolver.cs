using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;

namespace EdgeInfra.Components.Rendering;

/// <summary>Layers an app's values for each store: base (image tag = version, and the pinned digest) → baseline → region → site; and its overlays.</summary>
internal sealed class EffectiveOptionsResolver
{
    private readonly AppSpec _app;
    private readonly Dictionary<string, List<OverrideSpec>> _byRegion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OverrideSpec>> _bySite = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EffectiveOptions> _cache = new(StringComparer.Ordinal);

    public JsonObject Root { get; }

    public EffectiveOptionsResolver(AppSpec app, ImmutableArray<OverrideSpec> overrides)
    {
        _app = app;
        var root = new JsonObject();
        if (app.Kind == AppKind.Helm)
        {
            var image = new JsonObject();
            if (app.Image is not null) image["repository"] = app.Image;
            image["tag"] = app.Version;
            // A pinned release (PinnedImages) names its exact bytes: charts pull by digest when one is given.
            if (app.Digest is not null) image["digest"] = app.Digest;
            root["image"] = image;
        }
        root = JsonMerge.DeepMerge(root, app.Values);
        foreach (var o in overrides.Where(o => o.App == app.Name))
        {
            switch (o.Scope)
            {
                case OverrideScope.Baseline: root = JsonMerge.DeepMerge(root, o.Values); break;
                case OverrideScope.Region when o.Match is not null: Add(_byRegion, o.Match, o); break;
                case OverrideScope.Site when o.Match is not null: Add(_bySite, o.Match, o); break;
            }
        }
        Root = root;
    }

    private static void Add(Dictionary<string, List<OverrideSpec>> map, string key, OverrideSpec o)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(o);
    }

    public EffectiveOptions For(Store store)
    {
        var overlays = _app.OverlaySelectors
            .Where(sel => _app.Overlays.ContainsKey(sel.Key) && sel.Value.All(l => store.Label(l.Key) == l.Value))
            .Select(sel => sel.Key)
            .ToImmutableArray();
        var hasSite = _bySite.ContainsKey(store.Id);
        var cacheKey = $"{store.Region}\n{(hasSite ? store.Id : "")}\n{string.Join(",", overlays)}";
        if (_cache.TryGetValue(cacheKey, out var cached)) return cached;

        var values = Root;
        if (store.Region is { } region && _byRegion.TryGetValue(region, out var regional))
            foreach (var o in regional) values = JsonMerge.DeepMerge(values, o.Values);
        if (hasSite)
            foreach (var o in _bySite[store.Id]) values = JsonMerge.DeepMerge(values, o.Values);
        return _cache[cacheKey] = EffectiveOptions.Create(values, overlays);
    }
}
