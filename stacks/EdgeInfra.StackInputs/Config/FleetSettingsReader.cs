using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:fleet</c> (what the hub sees) and <c>edge-infra:fleetRepo</c> (where EdgeInfra pushes).</summary>
internal static class FleetSettingsReader
{
    public static (FleetSettings Settings, FleetRepoTarget Repo) Read(IStackConfig config, string projectDir, ConfigReader reader)
    {
        var fleetEntry = config.Get(FleetConfigKeys.Fleet);
        ConfigNode? fleet = fleetEntry is null ? null : new ConfigNode(fleetEntry.Value, fleetEntry.File, FleetConfigKeys.Fleet);
        var f = fleet is { } fn ? reader.Fields(fn, "workspace", "repoUrl", "branch", "pollingInterval", "k3sVersion", "shards", "shardClusterLimit") : [];
        var owner = fleet ?? default;

        var repoEntry = config.Get(FleetConfigKeys.FleetRepo);
        ConfigNode? repo = repoEntry is null ? null : new ConfigNode(repoEntry.Value, repoEntry.File, FleetConfigKeys.FleetRepo);
        var r = repo is { } rn ? reader.Fields(rn, "url", "branch") : [];
        var repoOwner = repo ?? default;

        var branch = String(reader, f, "branch", owner) ?? FleetConfigKeys.DefaultBranch;
        var repoUrl = String(reader, r, "url", repoOwner) ?? FleetConfigKeys.DefaultFleetRepoUrl;
        var target = new FleetRepoTarget(ResolveRepoUrl(repoUrl, projectDir), String(reader, r, "branch", repoOwner) ?? branch);

        var hubUrl = String(reader, f, "repoUrl", owner);
        if (hubUrl is null)
        {
            // A local path means nothing to a hub; only a network URL can stand in for what GitRepos read.
            if (repoUrl.Contains("://", StringComparison.Ordinal)) hubUrl = repoUrl;
            else reader.Problems.Add($"{Where(fleetEntry)}{FleetConfigKeys.Fleet}.repoUrl: is required (the fleet repo URL Fleet's GitRepos read) when edge-infra:fleetRepo is a local path");
        }
        var settings = new FleetSettings(
            String(reader, f, "workspace", owner) ?? FleetConfigKeys.DefaultWorkspace,
            hubUrl ?? "",
            branch,
            String(reader, f, "pollingInterval", owner) ?? FleetConfigKeys.DefaultPollingInterval,
            String(reader, f, "k3sVersion", owner) ?? FleetConfigKeys.DefaultK3sVersion)
        {
            Sharding = ShardConfigReader.Read(f, owner, reader),
        };
        if (hubUrl is not null)
            foreach (var p in FleetSettingsChecks.Problems(settings))
            {
                // Point at the field the check names when the stack sets it.
                var field = f.Keys.FirstOrDefault(k => p.Contains(k, StringComparison.Ordinal));
                reader.Problems.Add(field is not null ? $"{f[field].Location}: {p}" : $"{Where(fleetEntry)}{p}");
            }
        return (settings, target);
    }

    private static string? String(ConfigReader reader, Dictionary<string, ConfigNode> fields, string name, ConfigNode owner) =>
        fields.Count == 0 ? null : reader.String(fields, name, owner);

    private static string Where(ConfigEntry? entry) => entry is null ? "" : $"{entry.File}:{entry.Line}: ";

    private static string ResolveRepoUrl(string url, string projectDir) =>
        url.Contains("://", StringComparison.Ordinal) || url.Contains('@', StringComparison.Ordinal)
            ? url
            : Path.GetFullPath(Path.Combine(projectDir, url));
}
