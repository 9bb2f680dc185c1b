using System.Text.Json.Nodes;

namespace EdgeInfra.Lab.FleetRules.Explain;

/// <summary>Writes the rules' results as the explain output objects of <c>docs/fleet-explain.md</c>.</summary>
internal static class FleetExplainWriter
{
    public static JsonObject Partition(RolloutPassResult result)
    {
        if (result.Error is { } error) return new JsonObject { ["error"] = error };
        var status = result.BundleStatus!;
        return new JsonObject
        {
            ["partitions"] = new JsonArray([.. result.Partitions.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["count"] = p.Clusters.Count,
                ["maxUnavailable"] = p.MaxUnavailable,
                ["clusters"] = Names(p.Clusters),
            })]),
            ["created"] = Names(result.Created),
            ["promoted"] = Names(result.Promoted),
            ["blockedThisReconcile"] = result.BlockedThisReconcile,
            ["bundleStatus"] = new JsonObject
            {
                ["displayState"] = status.DisplayState,
                ["readyClusters"] = status.ReadyClusters,
                ["summary"] = Summary(status.Summary, withNonReady: false),
            },
        };
    }

    public static JsonObject State(FleetBundleSummary summary) => new()
    {
        ["displayState"] = summary.DisplayState,
        ["isReady"] = summary.IsReady,
        ["readyClusters"] = summary.ReadyClusters,
        ["summary"] = Summary(summary, withNonReady: true),
    };

    public static JsonObject Customization(IReadOnlyList<(string Cluster, FleetClusterCustomization Result)> results)
    {
        var perCluster = new JsonObject();
        foreach (var (cluster, r) in results)
        {
            var entry = new JsonObject
            {
                ["deployed"] = r.Deployed,
                ["matchedCustomizations"] = Names(r.MatchedCustomizations),
            };
            if (r.Options is not null) entry["options"] = r.Options.DeepClone();
            if (r.Reason is not null) entry["reason"] = r.Reason;
            perCluster[cluster] = entry;
        }
        return new JsonObject { ["perCluster"] = perCluster };
    }

    /// <summary>Counts in alphabetical order; zero counts omitted except <c>ready</c> and <c>desiredReady</c> (Fleet's omitempty).</summary>
    private static JsonObject Summary(FleetBundleSummary s, bool withNonReady)
    {
        var o = new JsonObject { ["desiredReady"] = s.DesiredReady };
        AddIfNonZero(o, "errApplied", s.ErrApplied);
        AddIfNonZero(o, "modified", s.Modified);
        AddIfNonZero(o, "notReady", s.NotReady);
        AddIfNonZero(o, "outOfSync", s.OutOfSync);
        AddIfNonZero(o, "pending", s.Pending);
        o["ready"] = s.Ready;
        AddIfNonZero(o, "waitApplied", s.WaitApplied);
        if (withNonReady && s.NonReadyResources.Count > 0)
            o["nonReadyResources"] = new JsonArray([.. s.NonReadyResources.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["bundleState"] = r.State.ToString(),
            })]);
        return o;
    }

    private static void AddIfNonZero(JsonObject o, string key, int value)
    {
        if (value != 0) o[key] = value;
    }

    private static JsonArray Names(IEnumerable<string> names) => new([.. names.Select(n => (JsonNode)JsonValue.Create(n))]);
}
