using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.Resources;
using K = EdgeInfra.Components.Resources.FleetResourceKeys;
using T = EdgeInfra.Components.Resources.FleetResourceTypes;

namespace EdgeInfra.Components.Resources;

/// <summary>The resources that bootstrap a store's device over SSH, beside its K3s config files: K3s at the pinned
/// version, the Fleet agent manifest, and the K3s service that restarts when the config files or the version change.</summary>
/// <remarks>
/// Order on a fresh device: config.yaml and registries.yaml, then K3s (installed without starting), then one restart.
/// The service's inputs are the hashes of the files it watches, so it is updated (restarted) exactly when one of them
/// changed, and a read of the device's files shows a hand edit as drift on the service too.
/// </remarks>
internal static class DeviceBootstrapResources
{
    public static void Add(ImmutableArray<DesiredResource>.Builder resources, Urn storeUrn, Store store, BootstrapSettings bootstrap,
        string k3sVersion, IReadOnlyList<DesiredResource> watchedFiles, FleetAgentContext? agent, string moveKey,
        ImmutableDictionary<string, string> tags, List<string> problems)
    {
        if (bootstrap.EndpointOf(store).Problem is { } problem) problems.Add(problem);

        var install = new DesiredResource(Urn.CreateChild(storeUrn, T.K3sInstall, store.Id), true, storeUrn, FleetProviders.Device,
            PropertyMap.Of((K.Store, store.Id), (K.K3sVersion, k3sVersion), (K.InstallMode, bootstrap.K3s.Install)),
            ResourceOptions.Default with { DependsOn = [.. watchedFiles.Select(f => f.Urn)] })
        {
            MoveKey = $"{moveKey}/k3s", Tags = tags,
        };
        resources.Add(install);

        if (agent is not null)
        {
            var manifest = FleetAgentRenderer.Manifest(store, agent.Agent, agent.Registration, agent.Settings);
            resources.Add(FleetStackBuilder.DeviceFile(storeUrn, T.FleetAgent, store, manifest, PropertyMap.Empty)
                with { MoveKey = $"{moveKey}/fleet-agent", Tags = tags });
        }

        var watch = watchedFiles.Select(f => KeyValuePair.Create(K.WatchPrefix + f.Inputs[K.Path], Sha256(f.Inputs[K.Content]))).ToList();
        var service = new DesiredResource(Urn.CreateChild(storeUrn, T.K3sService, store.Id), true, storeUrn, FleetProviders.Device,
            PropertyMap.From(watch.Append(KeyValuePair.Create(K.Store, store.Id)).Append(KeyValuePair.Create(K.K3sVersion, k3sVersion))),
            ResourceOptions.Default with { DependsOn = [install.Urn, .. watchedFiles.Select(f => f.Urn)] })
        {
            MoveKey = $"{moveKey}/k3s-service", Tags = tags,
            // The hash of a file holding credentials is kept as secret as the file.
            SecretInputs = [.. watchedFiles.Where(f => f.SecretInputs.Contains(K.Content)).Select(f => K.WatchPrefix + f.Inputs[K.Path])],
        };
        resources.Add(service);
    }

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
