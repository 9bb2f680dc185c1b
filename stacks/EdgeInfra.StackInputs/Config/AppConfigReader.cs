using System.Text.RegularExpressions;
using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:apps</c>: app name → packaging, release version, values, manifests and overlays.</summary>
/// <remarks>The release version sits at <c>apps.&lt;app&gt;.version</c> so a bump is one
/// <c>config set --path apps.pos-app.version X</c>.</remarks>
internal static partial class AppConfigReader
{
    private static readonly string[] Known =
        ["kind", "version", "namespace", "chart", "repo", "chartVersion", "image", "values", "manifests", "overlays", "changeClass"];

    private static readonly ImmutableSortedDictionary<string, string> NoFiles =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    private static readonly ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> NoMaps =
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>>.Empty.WithComparers(StringComparer.Ordinal);

    public static IReadOnlyList<AppSpec> Read(ConfigEntry? entry, string projectDir, ConfigReader reader)
    {
        var apps = new List<AppSpec>();
        if (entry is null) return apps;
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Apps);
        foreach (var (name, node) in reader.Entries(root))
        {
            if (!DnsLabel.IsValid(name)) reader.Problem(node, $"app name '{name}' must be a DNS label (lower-case alphanumerics and '-')");
            if (ReadApp(name, node, projectDir, reader) is { } app) apps.Add(app);
        }
        return apps;
    }

    private static AppSpec? ReadApp(string name, ConfigNode node, string projectDir, ConfigReader reader)
    {
        var f = reader.Fields(node, Known);
        var kindText = reader.String(f, "kind", node, required: true);
        var version = reader.String(f, "version", node, required: true);
        if (version is not null && !ReleaseVersion.IsValid(version))
        {
            reader.Problem(f["version"], $"app '{name}' version '{version}' must be {ReleaseVersion.Rule}");
            version = null;
        }
        var chartVersion = reader.String(f, "chartVersion", node);
        if (chartVersion is not null && !ReleaseVersion.IsValidChartVersion(chartVersion))
            reader.Problem(f["chartVersion"], $"app '{name}' chartVersion '{chartVersion}' must be {ReleaseVersion.ChartRule}");
        var ns = reader.String(f, "namespace", node);
        if (ns is not null && !DnsLabel.IsValid(ns))
            reader.Problem(f["namespace"], $"app '{name}' namespace '{ns}' must be a DNS label (lower-case alphanumerics and '-', at most 63 characters)");
        AppKind? kind = kindText switch
        {
            "helm" => AppKind.Helm,
            "manifests" => AppKind.Manifests,
            _ => null,
        };
        if (kindText is not null && kind is null) reader.Problem(f["kind"], $"app '{name}' kind '{kindText}' must be helm or manifests");

        var changeText = reader.String(f, "changeClass", node) ?? "next-window";
        ChangeClass? change = changeText switch
        {
            "immediate" => ChangeClass.Immediate,
            "next-window" => ChangeClass.NextWindow,
            "hold-for-review" => ChangeClass.HoldForReview,
            _ => null,
        };
        if (change is null) reader.Problem(f["changeClass"], $"app '{name}' changeClass '{changeText}' must be immediate, next-window or hold-for-review");

        HelmChartSpec? helm = null;
        var chart = reader.String(f, "chart", node);
        if (chart is not null && !ChartName().IsMatch(chart))
            reader.Problem(f["chart"], $"app '{name}' chart '{chart}' must be a chart name (letters, digits, '.', '_', '-' and '/')");
        var repo = reader.String(f, "repo", node);
        if (repo is not null && !(Uri.TryCreate(repo, UriKind.Absolute, out var repoUri) && repoUri.Scheme is "http" or "https" or "oci"))
            reader.Problem(f["repo"], $"app '{name}' repo '{repo}' must be an http(s) or oci:// URL");
        var image = reader.String(f, "image", node);
        if (image is not null && !ImageRepository().IsMatch(image))
            reader.Problem(f["image"], $"app '{name}' image '{image}' must be an image repository without a tag (e.g. registry.example.com/edge/pos-app)");
        if (kind == AppKind.Helm)
        {
            if (chart is null) reader.Problem(node, $"helm app '{name}' needs 'chart'");
            else helm = new HelmChartSpec(chart, repo, chartVersion ?? version ?? "");
        }
        else if (chart is not null)
        {
            reader.Problem(f["chart"], $"app '{name}' is not a helm app; 'chart' applies only to kind helm");
        }

        var manifests = NoFiles;
        var manifestsDir = reader.String(f, "manifests", node);
        if (kind == AppKind.Manifests && manifestsDir is null)
            reader.Problem(node, $"manifests app '{name}' needs 'manifests' (a directory of YAML files)");
        if (manifestsDir is not null)
            manifests = ReadDir(projectDir, manifestsDir, f["manifests"], $"app '{name}' manifests", reader) ?? NoFiles;

        var overlays = NoMaps;
        var selectors = NoMaps;
        if (f.TryGetValue("overlays", out var overlaysNode))
            (overlays, selectors) = ReadOverlays(name, overlaysNode, projectDir, manifestsDir, reader);

        var values = reader.Object(f, "values");
        // An app whose version was refused is still an app: overrides naming it are not reported as naming none.
        if (kind is null || change is null) return null;
        return new AppSpec(name, kind.Value, version ?? "", ns ?? name, helm,
            image, values, manifests, overlays, selectors, change.Value, node.Location);
    }

    private static (ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Files,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Selectors)
        ReadOverlays(string app, ConfigNode overlaysNode, string projectDir, string? manifestsDir, ConfigReader reader)
    {
        var files = NoMaps.ToBuilder();
        var selectors = NoMaps.ToBuilder();
        foreach (var (overlay, node) in reader.Entries(overlaysNode))
        {
            // The overlay's name is a directory in the fleet repo.
            if (!DnsLabel.IsValid(overlay))
            {
                reader.Problem(node, $"app '{app}' overlay name '{overlay}' must be a DNS label (lower-case alphanumerics and '-')");
                continue;
            }
            var f = reader.Fields(node, "selector", "dir");
            var dir = reader.String(f, "dir", node)
                ?? (manifestsDir is null ? null : Path.Combine(manifestsDir, "overlays", overlay));
            if (dir is null)
            {
                reader.Problem(node, $"app '{app}' overlay '{overlay}' needs 'dir' (or the app's 'manifests' dir with overlays/{overlay}/)");
                continue;
            }
            if (ReadDir(projectDir, dir, f.GetValueOrDefault("dir", node), $"app '{app}' overlay '{overlay}'", reader) is { } read)
                files[overlay] = read;
            if (!f.TryGetValue("selector", out var selectorNode))
            {
                reader.Problem(node, $"app '{app}' overlay '{overlay}' needs 'selector' (store labels that choose it)");
                continue;
            }
            var selector = reader.StringMap(selectorNode);
            if (selector.Count == 0) reader.Problem(selectorNode, $"app '{app}' overlay '{overlay}' selector is empty; it would select every store");
            selectors[overlay] = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, selector);
        }
        return (files.ToImmutable(), selectors.ToImmutable());
    }

    /// <summary>The YAML files directly in <paramref name="dir"/> (sub-directories such as overlays/ are not manifests).</summary>
    private static ImmutableSortedDictionary<string, string>? ReadDir(string projectDir, string relative, ConfigNode at, string what, ConfigReader reader)
    {
        // Only the project's own files are read: an absolute path or one climbing out with '..' would copy any
        // directory the rollout host can read into the fleet repo.
        var root = Path.GetFullPath(projectDir);
        var dir = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !dir.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            reader.Problem(at, $"{what}: directory '{relative}' must be a relative path inside the project");
            return null;
        }
        if (!Directory.Exists(dir))
        {
            reader.Problem(at, $"{what}: directory '{relative}' does not exist");
            return null;
        }
        var files = Directory.EnumerateFiles(dir)
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        if (files.Count == 0) reader.Problem(at, $"{what}: directory '{relative}' holds no .yaml files");
        return ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, files);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,252}\z")]
    private static partial Regex ChartName();

    // A registry host (with an optional port), then lower-case path components, as OCI distribution names them.
    [GeneratedRegex(@"^([A-Za-z0-9.-]+(:[0-9]{1,5})?/)?[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex ImageRepository();
}
