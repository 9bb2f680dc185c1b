namespace EdgeInfra.Tests.Lab.Simulator;

/// <summary>Fleet repo files in the shape EdgeInfra renders them (hub Clusters, ClusterGroup, GitRepo, one Helm bundle per ring).</summary>
internal static class SimFleetFiles
{
    public const string Workspace = "fleet-default";

    public static (string Path, string Content) Cluster(string name, IReadOnlyDictionary<string, string> labels, bool paused = false)
    {
        var lines = string.Join("", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"    {l.Key}: \"{l.Value}\"\n"));
        var spec = paused ? $"  clientID: {name}\n  paused: true\n" : $"  clientID: {name}\n";
        return ($"hub/clusters/{name}.yaml",
            $"apiVersion: fleet.cattle.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: {name}\n  namespace: {Workspace}\n  labels:\n{lines}spec:\n{spec}");
    }

    public static (string Path, string Content) ClusterGroup(string ring) => ($"hub/clustergroups/{ring}.yaml", $"""
        apiVersion: fleet.cattle.io/v1alpha1
        kind: ClusterGroup
        metadata:
          name: {ring}
          namespace: {Workspace}
          labels:
            rollout-ring: {ring}
        spec:
          selector:
            matchLabels:
              rollout-ring: {ring}

        """);

    public static (string Path, string Content) GitRepo(string ring, string app, string pollingInterval = "15s") => ($"hub/gitrepos/{ring}.yaml", $"""
        apiVersion: fleet.cattle.io/v1alpha1
        kind: GitRepo
        metadata:
          name: {ring}
          namespace: {Workspace}
          labels:
            rollout-ring: {ring}
        spec:
          repo: "http://git.lab.edgeinfra.local/fleet.git"
          branch: main
          pollingInterval: "{pollingInterval}"
          paths:
            - apps/{app}/{ring}
          targets:
            - name: {ring}
              clusterGroup: {ring}

        """);

    /// <summary>A Helm app bundle; <paramref name="rolloutStrategy"/> is YAML indented under <c>rolloutStrategy:</c>.</summary>
    public static (string Path, string Content) HelmBundle(string app, string ring, string version, string rolloutStrategy, string customizations = "") =>
        ($"apps/{app}/{ring}/fleet.yaml", $"""
        name: {app}-{ring}
        labels:
          edgeinfra.io/app: {app}
          edgeinfra.io/ring: {ring}
          edgeinfra.io/release: "{version}"
          edgeinfra.io/change-class: next-window
        defaultNamespace: {app}
        helm:
          repo: "https://charts.example.com/edge"
          chart: {app}
          version: "{version}"
          releaseName: {app}
          values:
            image:
              repository: registry.example.com/edge/{app}
              tag: "{version}"
        rolloutStrategy:
        {rolloutStrategy}
        {customizations}
        """);

    /// <summary>Labels of a store like the lab inventory's.</summary>
    public static Dictionary<string, string> Labels(string ring, string region = "central-europe", string network = "fiber",
        string traffic = "medium", string zone = "eu-central") => new()
    {
        ["rollout-ring"] = ring, ["region"] = region, ["network-tier"] = network, ["traffic-tier"] = traffic, ["registry-zone"] = zone,
    };
}
