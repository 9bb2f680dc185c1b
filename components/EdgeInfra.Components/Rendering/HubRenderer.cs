using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Sharding;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Components.Rendering;

/// <summary>Renders the hub-side Fleet objects: pre-created Clusters, one ClusterGroup and one GitRepo per ring.</summary>
public static class HubRenderer
{
    public const string ApiVersion = "fleet.cattle.io/v1alpha1";

    /// <summary><c>hub/clusters/&lt;id&gt;.yaml</c>: the store's Cluster, pre-created with its clientID so the agent binds to it.</summary>
    /// <param name="paused">Renders <c>spec.paused: true</c>: Fleet updates none of the cluster's BundleDeployments, so
    /// a store that was offline keeps what it runs until its catch-up class releases it (ARCHITECTURE.md §9).</param>
    public static RenderedFile Cluster(Store store, FleetSettings settings, bool paused = false)
    {
        var labels = new JsonObject();
        foreach (var (k, v) in store.Labels) labels[k] = v;
        var doc = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "Cluster",
            ["metadata"] = new JsonObject { ["name"] = store.Id, ["namespace"] = settings.Workspace, ["labels"] = labels },
            ["spec"] = paused ? new JsonObject { ["clientID"] = store.Id, ["paused"] = true } : new JsonObject { ["clientID"] = store.Id },
        };
        return new RenderedFile(FleetRepoLayout.ClusterPath(store.Id), YamlEmitter.Emit(doc));
    }

    /// <summary><c>hub/clustergroups/&lt;ring&gt;.yaml</c>: the ring's clusters, by their <c>rollout-ring</c> label.</summary>
    public static RenderedFile ClusterGroup(string ring, FleetSettings settings)
    {
        var doc = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "ClusterGroup",
            ["metadata"] = new JsonObject
            {
                ["name"] = ring,
                ["namespace"] = settings.Workspace,
                ["labels"] = new JsonObject { [StoreLabels.RolloutRing] = ring },
            },
            ["spec"] = new JsonObject { ["selector"] = RingSelector(ring) },
        };
        return new RenderedFile(FleetRepoLayout.ClusterGroupPath(ring), YamlEmitter.Emit(doc));
    }

    /// <summary><c>hub/gitrepos/&lt;ring&gt;.yaml</c>: watches the ring's bundle dirs and targets the ring's group.</summary>
    public static RenderedFile GitRepo(string ring, IEnumerable<string> appNames, FleetSettings settings)
    {
        var paths = new JsonArray();
        foreach (var app in appNames.Order(StringComparer.Ordinal)) paths.Add(FleetRepoLayout.BundleDir(app, ring));
        // With no paths Fleet would read the whole repo (hub objects included); a glob that matches nothing is inert.
        if (paths.Count == 0) paths.Add($"apps/*/{ring}");
        var doc = GitRepoDocument(ring, settings.Workspace, settings, paths,
            new JsonObject { ["name"] = ring, ["clusterGroup"] = ring },
            new JsonObject { [StoreLabels.RolloutRing] = ring });
        return new RenderedFile(FleetRepoLayout.GitRepoPath(ring), YamlEmitter.Emit(doc));
    }

    /// <summary><c>hub/clustergroups/&lt;ring&gt;-&lt;shard&gt;.yaml</c>: the ring's clusters on one controller shard, by
    /// their <c>rollout-ring</c> and <c>edgeinfra.io/fleet-shard</c> labels.</summary>
    /// <remarks>Left without <c>fleet.cattle.io/shard-ref</c>, so the default controller keeps its status: a
    /// ClusterGroup reconciler only sees events of objects of its own shard (<c>clustergroup_controller.go</c>
    /// <c>WithEventFilter(sharding.FilterByShardID)</c>, also on its Cluster watch), and the Clusters carry no shard-ref.
    /// Targeting reads the group's selector, not its status, so the shard's bundle controller resolves it all the same.</remarks>
    public static RenderedFile ShardClusterGroup(string ring, string shard, FleetSettings settings)
    {
        var name = FleetSharding.RingObjectName(ring, shard);
        var doc = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "ClusterGroup",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = settings.Workspace,
                ["labels"] = new JsonObject { [StoreLabels.RolloutRing] = ring, [FleetSharding.StoreShardLabel] = shard },
            },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject
                {
                    ["matchLabels"] = new JsonObject { [StoreLabels.RolloutRing] = ring, [FleetSharding.StoreShardLabel] = shard },
                },
            },
        };
        return new RenderedFile(FleetRepoLayout.ClusterGroupPath(name), YamlEmitter.Emit(doc));
    }

    /// <summary><c>hub/gitrepos/&lt;ring&gt;-&lt;shard&gt;.yaml</c>: the shard's bundle dirs of the ring, labelled
    /// <c>fleet.cattle.io/shard-ref</c> so only that shard's controller runs its gitjob and reconciles its Bundles and
    /// BundleDeployments (the label reaches both: gitjob.go passes the GitRepo's labels to <c>fleet apply --label</c>).</summary>
    public static RenderedFile ShardGitRepo(string ring, string shard, IEnumerable<string> appNames, FleetSettings settings)
    {
        var name = FleetSharding.RingObjectName(ring, shard);
        var paths = new JsonArray();
        foreach (var app in appNames.Order(StringComparer.Ordinal)) paths.Add(FleetRepoLayout.BundleDir(app, ring, shard));
        if (paths.Count == 0) paths.Add($"apps/*/{ring}/{shard}");
        var doc = GitRepoDocument(name, settings.Workspace, settings, paths,
            new JsonObject { ["name"] = name, ["clusterGroup"] = name },
            new JsonObject { [FleetSharding.ShardRefLabel] = shard, [StoreLabels.RolloutRing] = ring });
        return new RenderedFile(FleetRepoLayout.GitRepoPath(name), YamlEmitter.Emit(doc));
    }

    /// <summary><c>hub/fleet.yaml</c>: bundle options of the hub dir (applied to the management cluster).</summary>
    public static RenderedFile HubFleetYaml(FleetModel model)
    {
        var doc = new JsonObject
        {
            ["defaultNamespace"] = model.Settings.Workspace,
            ["labels"] = new JsonObject { ["edgeinfra.io/stack"] = model.Stack, ["edgeinfra.io/part"] = "hub" },
        };
        return new RenderedFile(FleetRepoLayout.HubFleetYaml, YamlEmitter.Emit(doc));
    }

    /// <summary><c>bootstrap/hub-gitrepo.yaml</c>: what an operator applies once so Fleet's local workspace follows <c>hub/</c>.</summary>
    public static RenderedFile HubBootstrapGitRepo(FleetModel model)
    {
        var doc = GitRepoDocument($"{model.Stack}-hub", FleetRepoLayout.LocalWorkspace, model.Settings,
            new JsonArray(FleetRepoLayout.HubDir),
            new JsonObject { ["name"] = "local", ["clusterName"] = "local" },
            new JsonObject { ["edgeinfra.io/stack"] = model.Stack });
        return new RenderedFile(FleetRepoLayout.BootstrapHubGitRepo, YamlEmitter.Emit(doc));
    }

    internal static JsonObject RingSelector(string ring) =>
        new() { ["matchLabels"] = new JsonObject { [StoreLabels.RolloutRing] = ring } };

    private static JsonObject GitRepoDocument(string name, string ns, FleetSettings settings, JsonArray paths, JsonObject target, JsonObject labels) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "GitRepo",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
        ["spec"] = new JsonObject
        {
            ["repo"] = settings.RepoUrl,
            ["branch"] = settings.Branch,
            ["pollingInterval"] = settings.PollingInterval,
            ["paths"] = paths,
            ["targets"] = new JsonArray(target),
        },
    };
}
