using System.Collections.Immutable;
using System.Globalization;
using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Tests.Rollout.Status;

/// <summary>Fleet-shaped hub objects and small fleets for the status and gate tests.</summary>
internal static class HubObjects
{
    public const string Workspace = "fleet-default";
    public const string New = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    public const string Old = "0ld0ld000ld0ld000ld0ld000ld0ld000ld0ld00";
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static Store Store(string id, string ring, string tier = "fiber") =>
        new(id, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [StoreLabels.RolloutRing] = ring,
            [StoreLabels.NetworkTier] = tier,
            [StoreLabels.Region] = "eu-central",
        }), new SourceLocation("stores.yaml", 1));

    public static RingSpec Ring(string name, int order, string maxUnavailable = "10%") =>
        new(name, order, null, maxUnavailable, TimeSpan.Zero, new SourceLocation("Pulumi.test.yaml", 1));

    public static FleetModel Model(params Store[] stores) => new("test", [.. stores],
        [Ring("canary", 0, "1"), Ring("early", 1)], [], [], [],
        new FleetSettings(Workspace, "https://git.example.com/fleet.git", "main", "15s", "v1.30.4+k3s1"));

    public static HubCluster Cluster(string id, TimeSpan? seenAgo, bool paused = false, TimeSpan? createdAgo = null) => new()
    {
        Metadata = new HubObjectMeta
        {
            Name = id, Namespace = Workspace, Labels = new() { ["rollout-ring"] = "canary" },
            CreationTimestamp = createdAgo is { } c ? Rfc3339(Now - c) : null,
        },
        Spec = new HubClusterSpec { Paused = paused, ClientId = id },
        Status = new HubClusterStatus
        {
            Namespace = $"cluster-{Workspace}-{id}",
            Agent = seenAgo is { } ago ? new HubAgentStatus { LastSeen = Rfc3339(Now - ago) } : null,
        },
    };

    public static HubBundle Bundle(string ring, string app, string commit) => new()
    {
        Metadata = new HubObjectMeta
        {
            Name = BundleName(ring, app),
            Namespace = Workspace,
            Labels = new() { [FleetLabels.RepoName] = ring, [FleetLabels.Commit] = commit },
        },
    };

    public static HubGitRepo GitRepo(string ring, string commit) => new()
    {
        Metadata = new HubObjectMeta { Name = ring, Namespace = Workspace },
        Status = new HubGitRepoStatus { Commit = commit, GitJobStatus = "Current" },
    };

    public static string BundleName(string ring, string app) => $"{ring}-apps-{app}-{ring}";

    /// <summary>A BundleDeployment of <paramref name="app"/>'s ring bundle on a store.</summary>
    public static HubBundleDeployment Bd(string store, string ring, string app, string commit, string staged, string current,
        string? applied, bool ready, bool nonModified = true, string? deployError = null, TimeSpan? notReadyFor = null) => new()
    {
        Metadata = new HubObjectMeta
        {
            Name = BundleName(ring, app),
            Namespace = $"cluster-{Workspace}-{store}",
            Labels = new()
            {
                [FleetLabels.BundleName] = BundleName(ring, app),
                [FleetLabels.BundleNamespace] = Workspace,
                [FleetLabels.Cluster] = store,
                [FleetLabels.ClusterNamespace] = Workspace,
                [FleetLabels.Commit] = commit,
            },
        },
        Spec = new HubBundleDeploymentSpec { StagedDeploymentId = staged, DeploymentId = current },
        Status = new HubBundleDeploymentStatus
        {
            AppliedDeploymentId = applied,
            Ready = ready,
            NonModified = nonModified,
            Conditions =
            [
                new HubCondition { Type = "Deployed", Status = deployError is null ? "True" : "False", Message = deployError },
                new HubCondition
                {
                    Type = "Ready",
                    Status = ready ? "True" : "False",
                    Message = ready ? null : "deployment pos/pos-app not ready",
                    LastTransitionTime = notReadyFor is { } f ? Rfc3339(Now - f) : null,
                },
            ],
        },
    };

    public static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
