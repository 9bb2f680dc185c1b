using System.Text;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Tests.Cli.BadInput;

namespace EdgeInfra.Tests.Cli;

/// <summary>Valid random edits of a <see cref="SmallLab"/>'s inventory, stack config and catch-up pauses: the changes a
/// platform engineer makes between two previews.</summary>
/// <remarks>The inventory is kept as a list of stores and written whole after each edit, so stores can be added and
/// removed; the stack config is edited in place, one line at a time.</remarks>
internal sealed partial class LabEdits
{
    public const int Kinds = 13;

    private static readonly string[] Classic = ["store-budapest", "store-prague", "store-lisbon"];
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];
    private static readonly string[] Zones = ["eu-central", "eu-west", "eu-north", "na-east"];
    private static readonly string[] Regions = ["central-europe", "western-europe", "northern-europe"];
    private static readonly string[] TrafficTiers = ["high", "medium", "low"];
    private static readonly string[] NetworkTiers = ["fiber", "dsl", "lte", "satellite"];

    private readonly SmallLab _lab;
    private readonly List<(string Id, List<(string Key, string Value)> Labels)> _stores;
    private int _added;

    public LabEdits(SmallLab lab)
    {
        _lab = lab;
        _stores = [.. lab.Read(SmallLab.InventoryName).Split("\n  - id: ").Skip(1).Select(ParseStore)];
    }

    /// <summary>Applies edit <paramref name="kind"/> and says what it did.</summary>
    public string Apply(int kind, Random random)
    {
        var store = _stores[random.Next(_stores.Count)];
        switch (kind)
        {
            case 0:
                return SetLabel(store, "traffic-tier", Pick(random, TrafficTiers));
            case 1:
                return SetLabel(store, "network-tier", Pick(random, NetworkTiers));
            case 2:
                return SetLabel(store, "registry-zone", Pick(random, Zones));
            case 3:
                return SetLabel(store, "rollout-ring", Pick(random, Rings));
            case 4:
                return SetLabel(store, $"extra-{random.Next(3)}", $"v{random.Next(5)}");
            case 5 when _stores.Count < 10:
                _added++;
                var copy = store.Labels.Select(l => l.Key == "site-id" ? (l.Key, $"xx-new-{_added:D2}") : l).ToList();
                _stores.Insert(random.Next(_stores.Count + 1), ($"store-new-{_added:D2}", copy));
                return WriteInventory($"added store-new-{_added:D2} like {store.Id}");
            // The classic three keep their regions and stay: the lab's region and site overrides must match a store.
            case 5 or 6 when _stores.Count > 3 && !Classic.Contains(store.Id):
                _stores.Remove(store);
                return WriteInventory($"removed {store.Id}");
            case 5 or 6 when !Classic.Contains(store.Id):
                return SetLabel(store, "region", Pick(random, Regions));
            case 7:
                var zone = Pick(random, Zones);
                var port = 5000 + random.Next(4);
                return EditConfig($"mirror of {zone} on port {port}", c => MirrorLine(zone).Replace(c, $"${{1}}{port}"));
            case 8:
                var ring = random.Next(Rings.Length);
                var max = random.Next(2) == 0 ? $"\"{random.Next(1, 4)}\"" : $"{random.Next(1, 50)}%";
                return EditConfig($"ring {Rings[ring]} maxUnavailable {max}", c => NthMaxUnavailable(c, ring, max));
            case 9:
                var interval = $"{random.Next(5, 60)}s";
                return EditConfig($"pollingInterval {interval}", c => PollingLine().Replace(c, $"${{1}}{interval}"));
            case 10:
                var level = Pick(random, ["debug", "info", "warn", "trace"]);
                var target = Pick(random, Classic);
                return EditConfig($"site override on {target}, logLevel {level}", c => SiteOverride().Replace(c, $"${{1}}{target}${{2}}{level}"));
            case 12:
                var workspace = $"fleet-stores-{random.Next(3)}";
                return EditConfig($"workspace {workspace}", c => c.Contains("\n    workspace: ", StringComparison.Ordinal)
                    ? WorkspaceLine().Replace(c, $"${{1}}{workspace}")
                    : c.Replace("  edge-infra:fleet:\n", $"  edge-infra:fleet:\n    workspace: {workspace}\n", StringComparison.Ordinal));
            case 11 when random.Next(2) == 0:
                var version = $"2.{random.Next(4, 7)}.{random.Next(3)}";
                return EditConfig($"pos-app {version}", c => PosVersion().Replace(c, $"${{1}}{version}"));
            default:
                var paused = _stores.Where(_ => random.Next(3) == 0).Select(s => s.Id).ToList();
                new CatchUpStore(RolloutPaths.For(_lab.Path(".edgeinfra"), SmallLab.Stack)).Save(paused.Select(id =>
                    new CatchUpEntry(id, Ring(id), ChangeClass.Immediate, "pos-app 2.4.1", null, DateTimeOffset.UnixEpoch, Paused: true)));
                return $"paused {string.Join(", ", paused)}";
        }
    }

    private string Ring(string id) => _stores.First(s => s.Id == id).Labels.FirstOrDefault(l => l.Key == "rollout-ring").Value ?? "all";

    private string SetLabel((string Id, List<(string Key, string Value)> Labels) store, string key, string value)
    {
        var at = store.Labels.FindIndex(l => l.Key == key);
        if (at < 0) store.Labels.Add((key, value));
        else store.Labels[at] = (key, value);
        return WriteInventory($"{store.Id} {key}={value}");
    }

    private string WriteInventory(string what)
    {
        var text = new StringBuilder("stores:\n");
        foreach (var (id, labels) in _stores)
        {
            text.Append("  - id: ").Append(id).Append("\n    labels:\n");
            foreach (var (k, v) in labels) text.Append("      ").Append(k).Append(": ").Append(v).Append('\n');
        }
        _lab.Write(SmallLab.InventoryName, text.ToString());
        return what;
    }

    private string EditConfig(string what, Func<string, string> change)
    {
        _lab.Write(SmallLab.StackFileName, change(_lab.Read(SmallLab.StackFileName)));
        return what;
    }

    private static (string, List<(string, string)>) ParseStore(string block)
    {
        var lines = block.Split('\n');
        var labels = lines.Skip(2).Where(l => l.StartsWith("      ", StringComparison.Ordinal) && l.Contains(": ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(": ", 2)).Select(p => (p[0], p[1])).ToList();
        return (lines[0].Trim(), labels);
    }

    private static string NthMaxUnavailable(string config, int ring, string value)
    {
        var n = 0;
        return RingMaxUnavailable().Replace(config, m => n++ == ring ? m.Groups[1].Value + value : m.Value);
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static Regex MirrorLine(string zone) => new($"(mirror: https://mirror-{zone}\\.lab\\.edgeinfra\\.local:)[0-9]+");

    [GeneratedRegex("(?m)^(      maxUnavailable: ).*$")]
    private static partial Regex RingMaxUnavailable();

    [GeneratedRegex("(?m)^(    workspace: ).*$")]
    private static partial Regex WorkspaceLine();

    [GeneratedRegex("(?m)^(    pollingInterval: ).*$")]
    private static partial Regex PollingLine();

    [GeneratedRegex("(?s)(- name: pos-budapest-debug\n.*?match: )[^\n]*(\n.*?logLevel: )[^\n]*")]
    private static partial Regex SiteOverride();

    [GeneratedRegex("(?s)(    pos-app:\n.*?version: )[^\n]*")]
    private static partial Regex PosVersion();
}
