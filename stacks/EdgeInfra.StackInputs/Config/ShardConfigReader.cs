using System.Collections.Immutable;
using System.Globalization;
using EdgeInfra.Components.Sharding;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:fleet.shards</c> (a count, or a list of shard ids) and <c>fleet.shardClusterLimit</c>.</summary>
internal static class ShardConfigReader
{
    /// <summary>More controllers than this is a typo, not a hub: each shard is a Deployment and a gitjob of its own.</summary>
    public const int MaxShards = 64;

    public static FleetSharding Read(Dictionary<string, ConfigNode> fields, ConfigNode owner, ConfigReader reader)
    {
        var ids = fields.TryGetValue("shards", out var shards) ? Ids(shards, reader) : [];
        var limit = reader.Integer(fields, "shardClusterLimit", owner);
        if (limit is < 1)
        {
            reader.Problem(fields["shardClusterLimit"], $"must be at least 1 (the clusters one Fleet controller carries; default {FleetSharding.DefaultClusterLimit})");
            limit = null;
        }
        return new FleetSharding(ids, limit ?? FleetSharding.DefaultClusterLimit);
    }

    private static ImmutableArray<string> Ids(ConfigNode at, ConfigReader reader)
    {
        switch (at.Node)
        {
            case YamlScalarNode { Value: null or "" or "~" or "null" }:
                return [];
            case YamlScalarNode s:
                if (!int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxShards)
                {
                    reader.Problem(at, $"'{s.Value}' must be a count of shards from 1 to {MaxShards} or a list of shard ids (leave it out for one Fleet controller)");
                    return [];
                }
                return FleetSharding.Numbered(count);
            case YamlSequenceNode:
                var ids = new List<string>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in reader.Sequence(at))
                {
                    if (item.Node is not YamlScalarNode { Value: { Length: > 0 } id })
                    {
                        reader.Problem(item, "must be a shard id");
                        continue;
                    }
                    if (!DnsLabel.IsValid(id))
                        reader.Problem(item, $"shard id '{id}' must be a DNS label (lower-case letters, digits and '-', at most 63): it names GitRepos and is a label value");
                    else if (!seen.Add(id))
                        reader.Problem(item, $"shard id '{id}' is listed twice");
                    else
                        ids.Add(id);
                }
                if (ids.Count > MaxShards) reader.Problem(at, $"{ids.Count} shards; at most {MaxShards}");
                if (seen.Count == 0 && ((YamlSequenceNode)at.Node).Children.Count == 0)
                    reader.Problem(at, "is an empty list (leave it out for one Fleet controller)");
                return [.. ids];
            default:
                reader.Problem(at, "must be a count of shards or a list of shard ids");
                return [];
        }
    }
}
