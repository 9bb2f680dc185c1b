using EdgeInfra.Components.Model;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:rollout</c>: gate interval, hold timeout, failure deadline, offline thresholds per site
/// class, the webhook's secret key and catch-up overrides per app.</summary>
public static class RolloutConfigReader
{
    private static readonly string[] Known =
        ["gateInterval", "holdTimeout", "failureDeadline", "offlineAfter", "offlineThresholds", "webhookKey", "catchUp", "mirrorGate"];

    /// <summary>Reads and checks the stack's rollout config; throws <see cref="FleetModelException"/> listing every problem.</summary>
    public static RolloutSettings Load(IStackConfig config)
    {
        var problems = new List<string>();
        var settings = Read(config.Get(FleetConfigKeys.Rollout), config, new ConfigReader(problems));
        if (problems.Count > 0) throw new FleetModelException(problems);
        return settings;
    }

    internal static RolloutSettings Read(ConfigEntry? entry, IStackConfig config, ConfigReader reader)
    {
        if (entry is null) return RolloutSettings.Default;
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Rollout);
        var f = reader.Fields(root, Known);
        var interval = Positive(reader, f, "gateInterval", root) ?? RolloutSettings.DefaultGateInterval;
        var holdTimeout = Positive(reader, f, "holdTimeout", root) ?? RolloutSettings.DefaultHoldTimeout;
        var deadline = Positive(reader, f, "failureDeadline", root) ?? RolloutSettings.DefaultFailureDeadline;
        var offlineAfter = Positive(reader, f, "offlineAfter", root) ?? RolloutSettings.DefaultOfflineAfter;

        var classes = new List<OfflineClass>();
        if (f.TryGetValue("offlineThresholds", out var list))
            foreach (var item in reader.Sequence(list))
            {
                var c = reader.Fields(item, "label", "value", "after");
                var label = reader.String(c, "label", item, required: true);
                var value = reader.String(c, "value", item, required: true);
                var after = Positive(reader, c, "after", item);
                if (after is null && !c.ContainsKey("after")) reader.Problem(item, "'after' is required (e.g. 4h)");
                if (label is not null && value is not null && after is { } a) classes.Add(new OfflineClass(label, value, a));
            }

        var webhookKey = reader.String(f, "webhookKey", root);
        if (webhookKey is not null)
        {
            if (!webhookKey.Contains(':', StringComparison.Ordinal)) webhookKey = $"{FleetConfigKeys.Namespace}:{webhookKey}";
            if (config.Get(webhookKey) is { IsSecure: false } plain)
                reader.Problems.Add($"{plain.File}:{plain.Line}: {webhookKey}: the webhook URL authorises posting; set it with config set --secret");
        }

        var catchUp = new Dictionary<string, ChangeClass>(StringComparer.Ordinal);
        if (f.TryGetValue("catchUp", out var overrides))
            foreach (var (app, node) in reader.Entries(overrides))
            {
                var text = (node.Node as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value;
                if (ParseClass(text) is { } cls) catchUp[app] = cls;
                else reader.Problem(node, $"catch-up class '{text}' of app '{app}' must be immediate, next-window or hold-for-review");
            }
        var mirrorGate = true;
        if (reader.String(f, "mirrorGate", root) is { } gateText)
        {
            if (bool.TryParse(gateText, out var on)) mirrorGate = on;
            else reader.Problem(f["mirrorGate"], $"mirrorGate '{gateText}' must be true or false");
        }
        return new RolloutSettings(interval, holdTimeout, deadline, classes, offlineAfter, webhookKey, catchUp, mirrorGate);
    }

    public static ChangeClass? ParseClass(string? text) => text switch
    {
        "immediate" => ChangeClass.Immediate,
        "next-window" => ChangeClass.NextWindow,
        "hold-for-review" => ChangeClass.HoldForReview,
        _ => null,
    };

    private static TimeSpan? Positive(ConfigReader reader, Dictionary<string, ConfigNode> f, string name, ConfigNode owner)
    {
        var d = reader.Duration(f, name, owner);
        if (d is { } span && span <= TimeSpan.Zero)
        {
            reader.Problem(f[name], $"'{name}' must be above 0");
            return null;
        }
        return d;
    }
}
