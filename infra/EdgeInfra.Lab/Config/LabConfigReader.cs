using EdgeInfra.Components.Text;
using EdgeInfra.Engine.Yaml;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Lab.Config;

/// <summary>Reads <c>edge-infra:lab</c> (a YAML mapping) into <see cref="LabSettings"/>, reporting every problem with file:line.</summary>
/// <remarks>
/// The CLI hands over the config value's YAML node and the file it came from (<c>ConfigEntry.Value</c>, <c>.File</c>);
/// the lab project stays free of the engine's types. Unknown fields are problems, since a typo would silently run a
/// different scenario.
/// </remarks>
public static partial class LabConfigReader
{
    public const string Key = "edge-infra:lab";

    /// <summary>The settings in <paramref name="node"/> (null or empty: <see cref="LabSettings.Default"/>); throws <see cref="LabConfigException"/>.</summary>
    public static LabSettings Read(YamlNode? node, string file)
    {
        var r = new Reader(file);
        var settings = r.Settings(node);
        if (r.Problems.Count > 0) throw new LabConfigException(r.Problems);
        return settings;
    }

    /// <summary>Reads the <c>edge-infra:lab</c> key of a Pulumi stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>); absent: defaults.</summary>
    public static LabSettings ReadStackFile(string path)
    {
        YamlStream stream;
        using (var text = File.OpenText(path)) stream = YamlParsers.LoadStream(text);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return LabSettings.Default;
        if (!root.Children.TryGetValue(new YamlScalarNode("config"), out var config) || config is not YamlMappingNode map) return LabSettings.Default;
        return map.Children.TryGetValue(new YamlScalarNode(Key), out var lab) ? Read(lab, path) : LabSettings.Default;
    }

    private sealed class Reader(string file)
    {
        public List<string> Problems { get; } = [];

        private void Problem(YamlNode at, string path, string message) =>
            Problems.Add($"{file}:{at.Start.Line}: {path}: {message}");

        public LabSettings Settings(YamlNode? node)
        {
            var d = LabSettings.Default;
            if (node is null || IsNull(node)) return d;
            var f = Fields(node, Key, "seed", "agents", "networkTiers", "images", "mirrors", "traffic", "latency", "offline", "scenarios");
            var seed = d.Seed;
            if (f.TryGetValue("seed", out var seedNode))
            {
                if (Scalar(seedNode, Key + ".seed") is { } s)
                {
                    if (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) seed = v;
                    else Problem(seedNode, Key + ".seed", $"'{s}' is not a non-negative integer");
                }
            }
            var agents = f.TryGetValue("agents", out var a) ? Agents(a, Key + ".agents") : d.Agents;
            var (tiers, defaultMbps) = f.TryGetValue("networkTiers", out var n) ? NumberMap(n, Key + ".networkTiers", d.DefaultMbps, "Mbit/s") : (d.NetworkTierMbps, d.DefaultMbps);
            var (images, defaultImage) = f.TryGetValue("images", out var i) ? NumberMap(i, Key + ".images", d.DefaultImageSizeMb, "MB") : (d.ImageSizeMb, d.DefaultImageSizeMb);
            var (traffic, defaultRps) = f.TryGetValue("traffic", out var t) ? NumberMap(t, Key + ".traffic", d.DefaultRps, "requests/s") : (d.TrafficRps, d.DefaultRps);
            var misses = f.TryGetValue("mirrors", out var m) ? Mirrors(m, Key + ".mirrors") : [];
            var latency = f.TryGetValue("latency", out var l) ? Latency(l, Key + ".latency") : d.Latency;
            var offline = f.TryGetValue("offline", out var o) ? OfflineList(o, Key + ".offline") : [];
            var scenarios = new Dictionary<string, LabScenario>(StringComparer.Ordinal);
            if (f.TryGetValue("scenarios", out var sc))
                foreach (var (name, value) in Entries(sc, Key + ".scenarios"))
                    scenarios[name] = Scenario(name, value, $"{Key}.scenarios.{name}");
            return new LabSettings(seed, agents, tiers, defaultMbps, images, defaultImage, misses, traffic, defaultRps, latency, offline, scenarios);
        }

        private AgentTimings Agents(YamlNode node, string path)
        {
            var d = AgentTimings.Default;
            var f = Fields(node, path, "checkinInterval", "jitter", "applyTime", "readyTime", "controllerDelay", "wanPenalty", "controllerThroughput");
            var checkin = Duration(f, "checkinInterval", path) ?? d.CheckinInterval;
            if (checkin <= TimeSpan.Zero) { Problem(f["checkinInterval"], path + ".checkinInterval", "must be more than 0"); checkin = d.CheckinInterval; }
            var penalty = Number(f, "wanPenalty", path) ?? d.WanPenalty;
            if (penalty < 1) Problem(f["wanPenalty"], path + ".wanPenalty", "must be 1 or more (a WAN pull is never faster than the mirror)");
            var throughput = Number(f, "controllerThroughput", path) ?? d.ControllerThroughput;
            if (throughput < 0) { Problem(f["controllerThroughput"], path + ".controllerThroughput", "must be 0 (unbounded) or more (bundle targets per second per controller)"); throughput = 0; }
            return new AgentTimings(checkin, Duration(f, "jitter", path) ?? d.Jitter, Duration(f, "applyTime", path) ?? d.ApplyTime,
                Duration(f, "readyTime", path) ?? d.ReadyTime, Duration(f, "controllerDelay", path) ?? d.ControllerDelay, penalty)
            {
                ControllerThroughput = throughput,
            };
        }

        private LatencyProfile Latency(YamlNode node, string path)
        {
            var f = Fields(node, path, "p50", "p99");
            var p50 = Duration(f, "p50", path) ?? LatencyProfile.Default.P50;
            var p99 = Duration(f, "p99", path) ?? LatencyProfile.Default.P99;
            if (p50 <= TimeSpan.Zero || p99 <= p50) Problem(node, path, "needs 0 < p50 < p99");
            return new LatencyProfile(p50, p99);
        }

        /// <summary>A map of name → positive number; the key <c>default</c> sets the value of names not listed.</summary>
        private (IReadOnlyDictionary<string, double>, double) NumberMap(YamlNode node, string path, double fallback, string unit)
        {
            var map = new Dictionary<string, double>(StringComparer.Ordinal);
            var def = fallback;
            foreach (var (key, value) in Entries(node, path))
            {
                if (Scalar(value, $"{path}.{key}") is not { } text) continue;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0)
                {
                    Problem(value, $"{path}.{key}", $"'{text}' must be a positive number ({unit})");
                    continue;
                }
                if (key == "default") def = v;
                else map[key] = v;
            }
            return (map, def);
        }

        private List<MirrorMiss> Mirrors(YamlNode node, string path)
        {
            var f = Fields(node, path, "missing");
            var list = new List<MirrorMiss>();
            if (!f.TryGetValue("missing", out var missing)) return list;
            foreach (var (item, itemPath) in Items(missing, path + ".missing"))
            {
                var g = Fields(item, itemPath, "zone", "app", "version");
                var zone = Required(g, "zone", item, itemPath);
                if (zone is null) continue;
                list.Add(new MirrorMiss(zone, Optional(g, "app", itemPath) ?? "*", Optional(g, "version", itemPath) ?? "*"));
            }
            return list;
        }

        private LabScenario Scenario(string name, YamlNode node, string path)
        {
            var f = Fields(node, path, "faults", "offline");
            var faults = new List<FaultSpec>();
            if (f.TryGetValue("faults", out var fl))
                foreach (var (item, itemPath) in Items(fl, path + ".faults"))
                    if (Fault(item, itemPath) is { } fault) faults.Add(fault);
            var offline = f.TryGetValue("offline", out var o) ? OfflineList(o, path + ".offline") : [];
            return new LabScenario(name, faults, offline);
        }

        private FaultSpec? Fault(YamlNode node, string path)
        {
            var f = Fields(node, path, "app", "version", "selector", "effect", "errorRate", "p99");
            var app = Required(f, "app", node, path);
            var version = Required(f, "version", node, path);
            var effectText = Required(f, "effect", node, path);
            var selector = f.TryGetValue("selector", out var s) ? StringMap(s, path + ".selector") : new Dictionary<string, string>();
            FaultEffect? effect = effectText switch
            {
                "errors" => FaultEffect.Errors,
                "latency" => FaultEffect.Latency,
                "errApplied" => FaultEffect.ErrApplied,
                "notReady" => FaultEffect.NotReady,
                null => null,
                _ => null,
            };
            if (effectText is not null && effect is null)
                Problem(f["effect"], path + ".effect", $"'{effectText}' is not an effect (errors, latency, errApplied, notReady)");
            var errorRate = Number(f, "errorRate", path) ?? 0.2;
            if (errorRate is < 0 or > 1) Problem(f["errorRate"], path + ".errorRate", "must be between 0 and 1");
            var p99 = Duration(f, "p99", path) ?? TimeSpan.FromSeconds(2);
            if (app is null || version is null || effect is null) return null;
            return new FaultSpec(app, version, selector, effect.Value, errorRate, p99);
        }

        private List<OfflineSchedule> OfflineList(YamlNode node, string path)
        {
            var list = new List<OfflineSchedule>();
            foreach (var (item, itemPath) in Items(node, path))
            {
                var f = Fields(item, itemPath, "share", "selector", "start", "duration");
                var share = Number(f, "share", itemPath);
                if (share is null) { Problem(item, itemPath, "'share' is required (0 to 1, e.g. 0.3)"); continue; }
                if (share is < 0 or > 1) { Problem(f["share"], itemPath + ".share", "must be between 0 and 1"); continue; }
                var duration = Duration(f, "duration", itemPath);
                if (duration is null || duration <= TimeSpan.Zero) { Problem(item, itemPath, "'duration' is required and more than 0 (e.g. 2h)"); continue; }
                var selector = f.TryGetValue("selector", out var s) ? StringMap(s, itemPath + ".selector") : new Dictionary<string, string>();
                list.Add(new OfflineSchedule(share.Value, selector, Duration(f, "start", itemPath) ?? TimeSpan.Zero, duration.Value));
            }
            return list;
        }

        private Dictionary<string, YamlNode> Fields(YamlNode node, string path, params string[] known)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in Entries(node, path))
            {
                if (Array.IndexOf(known, key) < 0) Problem(value, $"{path}.{key}", $"unknown field '{key}' (known: {string.Join(", ", known)})");
                else fields[key] = value;
            }
            return fields;
        }

        private IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string path)
        {
            if (IsNull(node)) yield break;
            if (node is not YamlMappingNode map)
            {
                Problem(node, path, "must be a mapping");
                yield break;
            }
            foreach (var (k, v) in map.Children) yield return ((k as YamlScalarNode)?.Value ?? "", v);
        }

        private IEnumerable<(YamlNode Item, string Path)> Items(YamlNode node, string path)
        {
            if (IsNull(node)) return [];
            if (node is YamlSequenceNode seq) return seq.Children.Select((c, i) => (c, $"{path}[{i}]"));
            Problem(node, path, "must be a list");
            return [];
        }

        private Dictionary<string, string> StringMap(YamlNode node, string path)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Entries(node, path))
                if (Scalar(value, $"{path}.{key}") is { } s) map[key] = s;
            return map;
        }

        private string? Scalar(YamlNode node, string path)
        {
            if (node is YamlScalarNode s && !IsNull(node)) return s.Value ?? "";
            Problem(node, path, "must be a single value");
            return null;
        }

        private string? Optional(Dictionary<string, YamlNode> f, string name, string path) =>
            f.TryGetValue(name, out var n) && !IsNull(n) ? Scalar(n, $"{path}.{name}") : null;

        private string? Required(Dictionary<string, YamlNode> f, string name, YamlNode owner, string path)
        {
            var v = Optional(f, name, path);
            if (v is null && !f.ContainsKey(name)) Problem(owner, path, $"'{name}' is required");
            return v;
        }

        private double? Number(Dictionary<string, YamlNode> f, string name, string path)
        {
            if (Optional(f, name, path) is not { } text) return null;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
            Problem(f[name], $"{path}.{name}", $"'{text}' is not a number");
            return null;
        }

        private TimeSpan? Duration(Dictionary<string, YamlNode> f, string name, string path)
        {
            if (Optional(f, name, path) is not { } text) return null;
            if (DurationText.TryParse(text, out var span, allowMilliseconds: true)) return span;
            Problem(f[name], $"{path}.{name}", $"'{text}' is not a duration (e.g. 500ms, 30s, 2h, 1h30m)");
            return null;
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "~" or "null" or null };
}
