using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;

namespace EdgeInfra.Tests.Components;

/// <summary>Fleet models for the component tests.</summary>
internal static class TestFleet
{
    public static readonly DateOnly Today = new(2026, 11, 23);
    public const string Project = "edge-infra";
    public const string MirrorAuthKey = "edge-infra:mirrorEuAuth";
    public const string MirrorAuth = "edge-pull:s3cr3t-test";

    public static string ResolveSecret(string key) =>
        key == MirrorAuthKey ? MirrorAuth : throw new KeyNotFoundException($"no secret '{key}'");

    public static readonly FleetSettings Settings = new("fleet-default", "https://git.example.com/edge/fleet.git", "main", "1m", "v1.30.4+k3s1");

    public static Store Store(string id, string ring, string region, string tier = "fiber", string zone = "eu") =>
        new(id, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [StoreLabels.SiteId] = id.Replace("store-", ""),
            [StoreLabels.Region] = region,
            [StoreLabels.Country] = "hu",
            [StoreLabels.RolloutRing] = ring,
            [StoreLabels.NetworkTier] = tier,
            [StoreLabels.RegistryZone] = zone,
            [StoreLabels.MaintenanceWindow] = "02-05",
            [StoreLabels.Timezone] = "Europe.Budapest",
        }), new SourceLocation("inventory/stores.csv", 2));

    public static readonly RingSpec Canary = new("canary", 0, 1, "1", TimeSpan.FromMinutes(30), new("Pulumi.prod.yaml", 10));
    public static readonly RingSpec Early = new("early", 1, 10, "10%", TimeSpan.FromHours(2), new("Pulumi.prod.yaml", 16))
    {
        MaxUnavailablePartitions = 0,
        AutoPartitionSize = "25%",
    };

    public static AppSpec Pos() => new(
        "pos", AppKind.Helm, "2.4.1", "pos",
        new HelmChartSpec("pos-app", "https://charts.example.com/edge", "2.4.1"),
        "registry.example.com/edge/pos-app",
        new JsonObject
        {
            ["replicas"] = 1,
            ["logLevel"] = "info",
            ["featureFlags"] = new JsonObject { ["fastCheckout"] = false, ["loyalty"] = "on" },
        },
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>>.Empty.WithComparers(StringComparer.Ordinal),
        ChangeClass.NextWindow, new("apps/pos.yaml", 1));

    public static AppSpec Signage() => new(
        "signage", AppKind.Manifests, "1.7.0", "signage", null, null,
        new JsonObject(),
        Sorted(("deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: signage
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                    - name: signage
                      image: registry.example.com/edge/signage:1.7.0

            """),
            ("configmap.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: signage
            data:
              refresh: "30s"

            """)),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableSortedDictionary<string, string>>
        {
            ["low-bandwidth"] = Sorted(("configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: signage
                data:
                  refresh: "300s"

                """)),
        }),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableSortedDictionary<string, string>>
        {
            ["low-bandwidth"] = Sorted((StoreLabels.NetworkTier, "satellite")),
        }),
        ChangeClass.Immediate, new("apps/signage.yaml", 1));

    public static ImmutableSortedDictionary<string, string> Sorted(params (string Key, string Value)[] items) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, items.Select(i => KeyValuePair.Create(i.Key, i.Value)));

    public static OverrideSpec Override(string name, string app, OverrideScope scope, string? match, JsonObject values, DateOnly? expires = null) =>
        new(name, app, scope, match, values, "alice@example.com", expires, new("overrides.yaml", 3));

    public static readonly RegistryZone EuZone = new("eu", "https://mirror-eu.example.com:5000",
        ["registry.example.com", "docker.io"], MirrorAuthKey, new("Pulumi.prod.yaml", 30));

    public static readonly RegistryZone UsZone = new("us", "https://mirror-us.example.com",
        ["registry.example.com"], null, new("Pulumi.prod.yaml", 36));

    /// <summary>3 stores over 2 rings, 2 apps, overrides at all three layers, one overlay.</summary>
    public static FleetModel Small() => new(
        "prod",
        [
            Store("store-bud-01", "canary", "central"),
            Store("store-vie-02", "early", "central", tier: "satellite"),
            Store("store-mad-03", "early", "south", zone: "us"),
        ],
        [Canary, Early],
        [Pos(), Signage()],
        [
            Override("pos-log-warn", "pos", OverrideScope.Baseline, null, new JsonObject { ["logLevel"] = "warn" }),
            Override("pos-south-replicas", "pos", OverrideScope.Region, "south", new JsonObject { ["replicas"] = 2 }),
            Override("pos-mad-fast-checkout", "pos", OverrideScope.Site, "store-mad-03",
                new JsonObject { ["featureFlags"] = new JsonObject { ["fastCheckout"] = true } }, new DateOnly(2027, 1, 31)),
        ],
        [EuZone, UsZone],
        Settings);
}
