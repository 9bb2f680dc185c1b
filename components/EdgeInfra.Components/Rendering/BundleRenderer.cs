using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Components.Rendering;

/// <summary>Renders one Fleet bundle per (app, ring): <c>apps/&lt;app&gt;/&lt;ring&gt;/fleet.yaml</c> plus manifests and overlays.</summary>
public static partial class BundleRenderer
{
    public const string AppLabel = "edgeinfra.io/app";
    public const string RingLabel = "edgeinfra.io/ring";
    public const string ReleaseLabel = "edgeinfra.io/release";
    public const string ChangeClassLabel = "edgeinfra.io/change-class";

    /// <summary>The bundle's files, fleet.yaml first. Throws <see cref="FleetRenderException"/> listing every problem.</summary>
    public static IReadOnlyList<RenderedFile> Render(FleetModel model, AppSpec app, RingSpec ring, DateOnly today)
    {
        var problems = new List<string>(OverrideChecks.Problems(model, today, app.Name));
        var files = Render(model, app, ring, problems);
        if (problems.Count > 0) throw new FleetRenderException(problems);
        return files;
    }

    /// <summary>Renders without the expiry check (the caller has checked the whole model); adds problems to <paramref name="problems"/>.</summary>
    /// <param name="shard">The controller shard whose stores the bundle targets (its own dir and name, read by that
    /// shard's GitRepo only: two GitRepos reading one fleet.yaml with a <c>name</c> would write the same Bundle); null
    /// when the stack is not sharded.</param>
    internal static IReadOnlyList<RenderedFile> Render(FleetModel model, AppSpec app, RingSpec ring, List<string> problems, string? shard = null)
    {
        var dir = FleetRepoLayout.BundleDir(app.Name, ring.Name, shard);
        foreach (var name in app.OverlaySelectors.Keys.Where(n => !app.Overlays.ContainsKey(n)))
            problems.Add($"{app.Location}: app '{app.Name}' selects overlay '{name}' that it does not define");

        var bundleName = shard is null ? $"{app.Name}-{ring.Name}" : $"{app.Name}-{ring.Name}-{shard}";
        // Fleet uses the bundle name as the Helm release name of manifest bundles: a DNS label of at most 53 chars.
        if (bundleName.Length > 53 || !ReleaseNamePattern().IsMatch(bundleName))
            problems.Add($"{app.Location}: bundle name '{bundleName}' (app-ring{(shard is null ? "" : "-shard")}) must be lower-case alphanumerics and '-', at most 53 characters");

        var ringStores = model.StoresInRing(ring.Name)
            .Where(s => shard is null || s.Label(Sharding.FleetSharding.StoreShardLabel) == shard)
            .OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var resolver = new EffectiveOptionsResolver(app, model.Overrides);
        var rootOptions = EffectiveOptions.Create(resolver.Root, []);

        var doc = new JsonObject
        {
            ["name"] = bundleName,
            ["labels"] = new JsonObject
            {
                [AppLabel] = app.Name,
                [RingLabel] = ring.Name,
                [ReleaseLabel] = app.Version,
                [ChangeClassLabel] = ChangeClassName(app.ChangeClass),
            },
            ["defaultNamespace"] = app.Namespace,
        };
        if (Helm(app, resolver.Root) is { } helm) doc["helm"] = helm;
        doc["rolloutStrategy"] = RolloutStrategyRenderer.Render(ring, problems);
        var customizations = CustomizationCompiler.Compile(ringStores, rootOptions, resolver.For, CustomizationOptions, app.OverlaySelectors);
        if (customizations.Count > 0) doc["targetCustomizations"] = customizations;

        var files = new List<RenderedFile> { new($"{dir}/{FleetRepoLayout.FleetYamlName}", YamlEmitter.Emit(doc)) };
        if (app.Kind == AppKind.Manifests)
        {
            foreach (var (file, text) in app.Manifests) files.Add(new($"{dir}/{file}", text));
            foreach (var (overlay, overlayFiles) in app.Overlays)
                foreach (var (file, text) in overlayFiles)
                    files.Add(new($"{dir}/{FleetRepoLayout.OverlaysDir}/{overlay}/{file}", text));
        }
        else if (app.Helm is null)
        {
            problems.Add($"{app.Location}: Helm app '{app.Name}' has no chart");
        }
        return files;
    }

    private static JsonObject? Helm(AppSpec app, JsonObject values)
    {
        var helm = new JsonObject();
        if (app.Kind == AppKind.Helm && app.Helm is { } chart)
        {
            if (chart.Repo is not null) helm["repo"] = chart.Repo;
            helm["chart"] = chart.Chart;
            helm["version"] = chart.Version;
            helm["releaseName"] = app.Name;
        }
        if (values.Count > 0) helm["values"] = values.DeepClone();
        return helm.Count > 0 ? helm : null;
    }

    private static JsonObject CustomizationOptions(EffectiveOptions options)
    {
        var result = new JsonObject();
        if (options.Values.Count > 0) result["helm"] = new JsonObject { ["values"] = options.Values.DeepClone() };
        if (options.Overlays.Length > 0)
            result["yaml"] = new JsonObject { ["overlays"] = new JsonArray(options.Overlays.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray()) };
        return result;
    }

    internal static string ChangeClassName(ChangeClass c) => c switch
    {
        ChangeClass.Immediate => "immediate",
        ChangeClass.HoldForReview => "hold-for-review",
        _ => "next-window",
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex ReleaseNamePattern();
}
