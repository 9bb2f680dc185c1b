using System.Text.Json.Nodes;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Yaml;

namespace EdgeInfra.Components.Rendering;

/// <summary>Renders the K3s auto-deploy manifest that installs a store's Fleet agent (no helm binary on the device).</summary>
/// <remarks>
/// K3s applies every file in its manifests directory on start and whenever the file changes. The file holds a
/// <c>HelmChart</c> for the <c>fleet-agent</c> chart (release name <c>fleet-agent</c> in <c>cattle-fleet-system</c>, as
/// the chart requires) with clientID = the store id, so the agent binds to the Cluster EdgeInfra pre-created on the hub;
/// the registration token goes in a Secret the chart reads through <c>valuesSecrets</c>, not in the chart's values.
/// The whole file is a secret in state.
/// </remarks>
public static class FleetAgentRenderer
{
    public const string ManifestPath = "/var/lib/rancher/k3s/server/manifests/edgeinfra-fleet-agent.yaml";
    private const string SecretName = "edgeinfra-fleet-agent-token";
    private const string ValuesKey = "values.yaml";

    public static RenderedFile Manifest(Store store, FleetAgentBootstrap agent, FleetRegistration registration, FleetSettings settings)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = SecretName, ["namespace"] = "kube-system" },
            ["type"] = "Opaque",
            ["stringData"] = new JsonObject { [ValuesKey] = YamlEmitter.Emit(new JsonObject { ["token"] = registration.Token }) },
        };
        var values = new JsonObject
        {
            ["apiServerURL"] = registration.ApiServerUrl,
            ["apiServerCA"] = registration.ApiServerCa,
            ["clientID"] = store.Id,
            ["clusterNamespace"] = registration.ClusterNamespace ?? settings.Workspace,
        };
        if (registration.SystemRegistrationNamespace is { } system) values["systemRegistrationNamespace"] = system;
        var chart = new JsonObject
        {
            ["apiVersion"] = "helm.cattle.io/v1",
            ["kind"] = "HelmChart",
            ["metadata"] = new JsonObject { ["name"] = "fleet-agent", ["namespace"] = "kube-system" },
            ["spec"] = new JsonObject
            {
                ["repo"] = agent.ChartRepo,
                ["chart"] = "fleet-agent",
                ["version"] = agent.ChartVersion,
                ["targetNamespace"] = "cattle-fleet-system",
                ["createNamespace"] = true,
                ["valuesContent"] = YamlEmitter.Emit(values),
                ["valuesSecrets"] = new JsonArray(new JsonObject { ["name"] = SecretName, ["keys"] = new JsonArray(ValuesKey) }),
            },
        };
        return new RenderedFile(ManifestPath, YamlEmitter.Emit(secret) + "---\n" + YamlEmitter.Emit(chart), Secret: true);
    }
}
