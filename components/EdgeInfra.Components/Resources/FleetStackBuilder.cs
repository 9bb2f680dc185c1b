using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Sharding;
using EdgeInfra.Engine.Resources;
using K = EdgeInfra.Components.Resources.FleetResourceKeys;
using T = EdgeInfra.Components.Resources.FleetResourceTypes;

namespace EdgeInfra.Components.Resources;

/// <summary>Turns a fleet model into the engine's desired stacks: one per ring, plus a base stack for the shared hub files.</summary>
public static class FleetStackBuilder
{
    /// <summary>The stack name of a ring: <c>&lt;stack&gt;.&lt;ring&gt;</c>.</summary>
    public static string RingStackName(string stack, string ring) => $"{stack}.{ring}";

    /// <summary>
    /// The ring stack: per store a <c>Store</c> component with its Cluster and K3s files, the ring's ClusterGroup and
    /// GitRepo, and per app a <c>RingRelease</c> holding the bundle files. Throws <see cref="FleetRenderException"/>
    /// listing every problem (expired overrides, unknown zones, invalid labels, bad rollout values).
    /// </summary>
    /// <param name="resolveSecret">Reads a secret stack config value (registry credentials); null when none are available.</param>
    /// <param name="paused">Stores whose Cluster is rendered paused (offline catch-up, kept by the rollout host).</param>
    /// <param name="cache">Per-store files an earlier run rendered from the same inputs; null: render every store.</param>
    public static DesiredStack BuildRing(FleetModel model, string ring, string project, DateOnly today,
        Func<string, string>? resolveSecret = null, IReadOnlySet<string>? paused = null, StoreRenderCache? cache = null)
    {
        var problems = new List<string>(FleetSettingsChecks.Problems(model.Settings));
        problems.AddRange(OverrideChecks.Problems(model, today));
        var ringSpec = model.Rings.FirstOrDefault(r => r.Name == ring);
        if (ringSpec is null)
            throw new FleetRenderException([$"unknown ring '{ring}'; rings are: {string.Join(", ", model.Rings.Select(r => r.Name))}"]);

        var stack = new DesiredStack(RingStackName(model.Stack, ring), project, [], ImmutableSortedDictionary<string, string>.Empty);
        var root = stack.RootUrn;
        var resources = ImmutableArray.CreateBuilder<DesiredResource>();
        var settings = model.Settings;

        resources.Add(File(root, T.ClusterGroup, $"clustergroup-{ring}", HubRenderer.ClusterGroup(ring, settings)));
        var apps = model.Apps.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var shards = settings.Sharding.ShardIds;
        if (shards.IsEmpty)
            resources.Add(File(root, T.GitRepo, $"gitrepo-{ring}", HubRenderer.GitRepo(ring, apps.Select(a => a.Name), settings)));
        foreach (var shard in shards)
        {
            // One GitRepo per (ring, shard), each over its own ClusterGroup: the ring's group stays as the ring-wide view.
            var name = FleetSharding.RingObjectName(ring, shard);
            if (model.Rings.Any(r => r.Name == name))
                problems.Add($"ring '{ring}' on shard '{shard}' names its GitRepo '{name}', which is the name of another ring; rename the ring or the shard");
            resources.Add(File(root, T.ClusterGroup, $"clustergroup-{name}", HubRenderer.ShardClusterGroup(ring, shard, settings)));
            resources.Add(File(root, T.GitRepo, $"gitrepo-{name}", HubRenderer.ShardGitRepo(ring, shard, apps.Select(a => a.Name), settings)));
        }

        var zones = model.Zones.ToDictionary(z => z.Name, StringComparer.Ordinal);
        var stores = model.StoresInRing(ring).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var context = new StoreContext(settings, zones, resolveSecret, problems) { Bootstrap = model.Bootstrap, Paused = paused, Cache = cache };
        foreach (var store in stores)
            AddStore(resources, root, store, context);

        foreach (var app in apps)
        {
            var files = shards.IsEmpty
                ? BundleRenderer.Render(model, app, ringSpec, problems)
                : [.. shards.SelectMany(shard => BundleRenderer.Render(model, app, ringSpec, problems, shard))];
            var releaseUrn = Urn.CreateChild(root, T.RingRelease, app.Name);
            var tags = ImmutableDictionary<string, string>.Empty.Add(K.AppTag, app.Name).Add(K.ReleaseTag, app.Version);
            var releaseInputs = PropertyMap.Of((K.App, app.Name), (K.Version, app.Version));
            if (PinnedImages.Reference(app) is { } pinned)
                releaseInputs = PropertyMap.From(releaseInputs.Concat([KeyValuePair.Create(K.Digest, app.Digest!), KeyValuePair.Create(K.Image, pinned)]));
            resources.Add(new DesiredResource(releaseUrn, false, root, null, releaseInputs, ResourceOptions.Default) { Tags = tags });
            foreach (var f in files)
                resources.Add(File(releaseUrn, T.File, f.Path, f) with { Tags = tags });
        }

        // A sharded ring renders each app once per shard: a problem of the app is reported once.
        if (problems.Count > 0) throw new FleetRenderException([.. problems.Distinct(StringComparer.Ordinal)]);

        var outputs = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        outputs["ring"] = ring;
        outputs["stores"] = stores.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var app in apps) outputs[$"release.{app.Name}"] = app.Version;
        foreach (var app in apps.Where(a => PinnedImages.Reference(a) is not null)) outputs[$"{PinnedImages.OutputPrefix}{app.Name}"] = app.Digest!;
        return stack with { Resources = resources.ToImmutable(), Outputs = outputs.ToImmutable() };
    }

    /// <summary>The base stack <c>&lt;stack&gt;</c>: the hub bundle options and the operators' bootstrap GitRepo.</summary>
    public static DesiredStack BuildBase(FleetModel model, string project)
    {
        var stack = new DesiredStack(model.Stack, project, [], ImmutableSortedDictionary<string, string>.Empty);
        var root = stack.RootUrn;
        var hub = HubRenderer.HubFleetYaml(model);
        var bootstrap = HubRenderer.HubBootstrapGitRepo(model);
        var outputs = ImmutableSortedDictionary<string, string>.Empty
            .Add("workspace", model.Settings.Workspace)
            .Add("rings", string.Join(",", model.Rings.OrderBy(r => r.Order).Select(r => r.Name)));
        return stack with
        {
            Resources = [File(root, T.File, hub.Path, hub), File(root, T.File, bootstrap.Path, bootstrap)],
            Outputs = outputs,
        };
    }

    /// <summary>Per-ring rendering state shared by all stores: most stores share their zone and label values.</summary>
    private sealed class StoreContext(FleetSettings settings, IReadOnlyDictionary<string, RegistryZone> zones,
        Func<string, string>? resolveSecret, List<string> problems)
    {
        private readonly Dictionary<string, RenderedFile> _registriesByZone = new(StringComparer.Ordinal);
        private readonly Dictionary<string, bool> _validKeys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, bool> _validValues = new(StringComparer.Ordinal);

        private FleetAgentContext? _agent;

        public FleetSettings Settings => settings;
        public List<string> Problems => problems;
        public BootstrapSettings? Bootstrap { get; init; }
        public IReadOnlySet<string>? Paused { get; init; }
        public StoreRenderCache? Cache { get; init; }

        /// <summary>The Fleet agent settings and registration values, parsed once per ring; null when not configured or unreadable.</summary>
        public FleetAgentContext? Agent => Bootstrap?.FleetAgent is { } agent
            ? _agent ??= FleetAgentContext.Read(agent, settings, resolveSecret, problems)
            : null;

        /// <summary>The store's hub Cluster and K3s config.yaml, from the cache when nothing they are made of changed.</summary>
        public (RenderedFile Cluster, RenderedFile Config) ClusterAndConfig(Store store)
        {
            var paused = Paused?.Contains(store.Id) == true;
            IReadOnlyList<string>? disable = Bootstrap?.K3s.Disable;
            if (Cache is null) return (HubRenderer.Cluster(store, settings, paused), K3sRenderer.Config(store, disable));
            var files = Cache.Get(store, settings.Workspace, paused, disable,
                () => new(HubRenderer.Cluster(store, settings, paused).Content, K3sRenderer.Config(store, disable).Content));
            return (new RenderedFile(FleetRepoLayout.ClusterPath(store.Id), files.Cluster), new RenderedFile(FleetRepoLayout.K3sConfigPath, files.Config));
        }

        public RenderedFile Registries(Store store)
        {
            var zone = store.RegistryZone;
            // Unknown zones are rendered per store so that each store's problem is reported.
            if (zone is null || !zones.ContainsKey(zone)) return K3sRenderer.Registries(store, zones, resolveSecret, problems);
            if (!_registriesByZone.TryGetValue(zone, out var file))
                _registriesByZone[zone] = file = K3sRenderer.Registries(store, zones, resolveSecret, problems);
            return file;
        }

        public bool IsValidKey(string key) =>
            _validKeys.TryGetValue(key, out var ok) ? ok : _validKeys[key] = LabelRules.IsValidKey(key);

        public bool IsValidValue(string value) =>
            _validValues.TryGetValue(value, out var ok) ? ok : _validValues[value] = LabelRules.IsValidValue(value);
    }

    private static void AddStore(ImmutableArray<DesiredResource>.Builder resources, Urn root, Store store, StoreContext context)
    {
        var problems = context.Problems;
        foreach (var (k, v) in store.Labels)
        {
            if (!context.IsValidKey(k)) problems.Add($"{store.Location}: store '{store.Id}' label key '{k}' is not a valid Kubernetes label key");
            if (!context.IsValidValue(v)) problems.Add($"{store.Location}: store '{store.Id}' label {k}='{v}' is not a valid Kubernetes label value");
        }

        var tags = StoreTags(store);
        var moveKey = StoreMoveKey(store);
        var storeUrn = Urn.CreateChild(root, T.Store, store.Id);
        var labelInputs = PropertyMap.From(store.Labels.Select(l => KeyValuePair.Create(K.LabelPrefix + l.Key, l.Value)));
        resources.Add(new DesiredResource(storeUrn, false, root, null, labelInputs, ResourceOptions.Default)
        {
            MoveKey = moveKey, Tags = tags,
        });

        var (cluster, config) = context.ClusterAndConfig(store);
        resources.Add(ClusterResource(storeUrn, store, cluster));

        var registries = context.Registries(store);
        var registriesResource = DeviceFile(storeUrn, T.K3sRegistries, store, registries, PropertyMap.Empty)
            with { MoveKey = $"{moveKey}/registries", Tags = tags };
        resources.Add(registriesResource);

        var bootstrap = context.Bootstrap;
        var configResource = DeviceFile(storeUrn, T.K3sConfig, store, config, PropertyMap.Of((K.K3sVersion, context.Settings.K3sVersion)))
            with { MoveKey = $"{moveKey}/config", Tags = tags };
        resources.Add(configResource);
        if (bootstrap is not null)
            DeviceBootstrapResources.Add(resources, storeUrn, store, bootstrap, context.Settings.K3sVersion,
                [registriesResource, configResource], context.Agent, moveKey, tags, problems);
    }

    /// <summary>A store's Cluster file, under its <c>Store</c> component.</summary>
    private static DesiredResource ClusterResource(Urn storeUrn, Store store, RenderedFile cluster) =>
        File(storeUrn, T.Cluster, store.Id, cluster) with { MoveKey = $"{StoreMoveKey(store)}/cluster", Tags = StoreTags(store) };

    /// <summary>What follows a store's resources from one ring stack to another when it moves rings.</summary>
    private static string StoreMoveKey(Store store) => $"store/{store.Id}";

    private static ImmutableDictionary<string, string> StoreTags(Store store) => ImmutableDictionary<string, string>.Empty.Add(K.StoreTag, store.Id);

    /// <summary>A ring stack <see cref="BuildRing"/> made, with the Cluster files of <paramref name="stores"/> rendered
    /// again for <paramref name="paused"/>: what <see cref="BuildRing"/> renders with those pauses, byte for byte.</summary>
    /// <remarks>A rollout releases a few stores at each maintenance window that opens (60–90 times in a day-long ring):
    /// only their Cluster files change, and rendering the ring's every store and bundle again for them was most of the
    /// apply.</remarks>
    public static DesiredStack WithPauses(DesiredStack ringStack, FleetModel model, IEnumerable<Store> stores, IReadOnlySet<string> paused)
    {
        var root = ringStack.RootUrn;
        var replaced = new Dictionary<Urn, DesiredResource>();
        foreach (var store in stores)
        {
            var cluster = ClusterResource(Urn.CreateChild(root, T.Store, store.Id), store, HubRenderer.Cluster(store, model.Settings, paused.Contains(store.Id)));
            replaced[cluster.Urn] = cluster;
        }
        if (replaced.Count == 0) return ringStack;
        var resources = ringStack.Resources.ToBuilder();
        for (var i = 0; i < resources.Count; i++)
            if (replaced.TryGetValue(resources[i].Urn, out var cluster)) resources[i] = cluster;
        return ringStack with { Resources = resources.MoveToImmutable() };
    }

    private static DesiredResource File(Urn parent, string type, string name, RenderedFile file) =>
        new(Urn.CreateChild(parent, type, name), true, parent, FleetProviders.FleetRepo,
            PropertyMap.Of((K.Path, file.Path), (K.Content, file.Content)), ResourceOptions.Default)
        {
            SecretInputs = file.Secret ? [K.Content] : [],
        };

    internal static DesiredResource DeviceFile(Urn parent, string type, Store store, RenderedFile file, PropertyMap extra) =>
        new(Urn.CreateChild(parent, type, store.Id), true, parent, FleetProviders.Device,
            PropertyMap.From(extra.Concat([
                KeyValuePair.Create(K.Path, file.Path),
                KeyValuePair.Create(K.Content, file.Content),
                KeyValuePair.Create(K.Store, store.Id),
            ])),
            ResourceOptions.Default)
        {
            SecretInputs = file.Secret ? [K.Content] : [],
        };
}
