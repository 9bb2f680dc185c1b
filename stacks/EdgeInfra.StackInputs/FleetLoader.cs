using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Sharding;
using EdgeInfra.Engine.Config;
using EdgeInfra.StackInputs.Config;
using EdgeInfra.StackInputs.Inventory;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.StackInputs;

/// <summary>Turns a stack's config and store inventory into its validated fleet model.</summary>
public static class FleetLoader
{
    /// <summary>
    /// Reads <c>edge-infra:*</c> config and the inventory it names, validates both and builds the model. Throws
    /// <see cref="FleetModelException"/> listing every problem (config and inventory) with file:line.
    /// </summary>
    /// <param name="projectDir">The directory holding Pulumi.yaml; relative paths in config resolve against it.</param>
    /// <param name="today">The date overrides' expiry is checked against.</param>
    /// <param name="inventoryCacheDir">Where the parse of an unchanged inventory is kept between runs; null parses every time.
    /// The cache is written only by <see cref="LoadedFleet.CommitWrites"/>, once the caller accepts the run.</param>
    public static LoadedFleet Load(string projectDir, IStackConfig config, DateOnly today, string? inventoryCacheDir = null)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var parts = ReadConfig(projectDir, config, problems, warnings);
        var (inventoryPath, display) = InventoryPath(projectDir, config, problems);
        var cacheWrites = new List<Action>();
        var beforeInventory = problems.Count;
        var stores = InventoryReader.Read(inventoryPath, display, problems, inventoryCacheDir, cacheWrites);
        var inventoryParsed = problems.Count == beforeInventory;

        var explicitRings = InventoryValidator.ExplicitRings(
            parts.Rings.SelectMany(r => r.Stores.Select(s => (r.Spec.Name, s.StoreId, s.Location))), problems);
        var hint = parts.Rings.Any(r => r.Spec.Percent is not null)
            ? $"assign them from the ring percentages with: edgeinfra rings assign --stack {config.Stack}"
            : "label them rollout-ring or list them in a ring's 'stores:'";
        var validated = new InventoryValidator().Validate(stores, parts.Rings.Select(r => r.Spec.Name).ToList(),
            parts.Zones.Select(z => z.Name).ToList(), explicitRings, hint, problems);

        var sharded = ShardStores(validated, parts.Settings.Sharding, problems);
        var model = new FleetModel(config.Stack, [.. sharded], [.. parts.Rings.Select(r => r.Spec)], [.. parts.Apps],
            [.. parts.Overrides], [.. parts.Zones], parts.Settings) { Bootstrap = parts.Bootstrap };
        if (parts.Bootstrap is { } bootstrap) BootstrapConfigReader.CheckDevices(bootstrap, model.Stores, problems);
        problems.AddRange(OverrideChecks.Problems(model, today));
        // An inventory that did not parse has no stores to match: every override would be reported as matching none.
        if (inventoryParsed) CheckOverrideMatches(model, problems);
        if (problems.Count > 0) throw new FleetModelException(problems);
        warnings.AddRange(ShardCapacityLint.Check(model, FleetConfigKeys.Fleet).Select(f => $"fleet lint: {f}"));
        return new LoadedFleet(model, parts.Repo, inventoryPath) { Warnings = warnings, PendingWrites = cacheWrites };
    }

    /// <summary>
    /// <c>edgeinfra rings assign</c>: gives every store without a valid <c>rollout-ring</c> a ring from the ring percentages
    /// (stratified, deterministic, existing stores untouched) and writes the labels back into the inventory for review.
    /// </summary>
    /// <param name="write">False for a dry run: compute and report, leave the file alone.</param>
    public static RingAssignment AssignRings(string projectDir, IStackConfig config, bool write = true, ulong seed = RingAssigner.DefaultSeed)
    {
        var problems = new List<string>();
        var rings = RingConfigReader.Read(config.Get(FleetConfigKeys.Rings), new ConfigReader(problems));
        var (inventoryPath, display) = InventoryPath(projectDir, config, problems);
        var stores = InventoryReader.Read(inventoryPath, display, problems);
        var listed = InventoryValidator.ExplicitRings(rings.SelectMany(r => r.Stores.Select(s => (r.Spec.Name, s.StoreId, s.Location))), problems);
        if (problems.Count > 0) throw new FleetModelException(problems);
        // Stores a ring lists by id are in that ring already: giving them a label too would put them in two.
        var placed = stores.Select(s => s.Ring is null && listed.TryGetValue(s.Id, out var l)
            ? s with { Labels = s.Labels.SetItem(StoreLabels.RolloutRing, l.Ring) }
            : s).ToList();
        var assignment = RingAssigner.Assign(placed, [.. rings.Select(r => r.Spec)], seed);
        if (write && assignment.Assigned.Count > 0) InventoryWriter.WriteRings(inventoryPath, display, assignment.Assigned);
        return assignment;
    }

    private sealed record ConfigParts(FleetSettings Settings, FleetRepoTarget Repo, IReadOnlyList<RingConfig> Rings,
        IReadOnlyList<AppSpec> Apps, IReadOnlyList<OverrideSpec> Overrides, IReadOnlyList<RegistryZone> Zones, BootstrapSettings? Bootstrap);

    private static ConfigParts ReadConfig(string projectDir, IStackConfig config, List<string> problems, List<string> warnings)
    {
        var reader = new ConfigReader(problems);
        var (settings, repo) = FleetSettingsReader.Read(config, projectDir, reader);
        var rings = RingConfigReader.Read(config.Get(FleetConfigKeys.Rings), reader);
        var zones = RegistryZoneConfigReader.Read(config.Get(FleetConfigKeys.RegistryZones), config, reader, warnings);
        var apps = AppConfigReader.Read(config.Get(FleetConfigKeys.Apps), projectDir, reader);
        var overrides = OverrideConfigReader.Read(config.Get(FleetConfigKeys.Overrides), reader);
        var bootstrap = BootstrapConfigReader.Read(config.Get(FleetConfigKeys.Bootstrap), config, projectDir, reader);
        return new ConfigParts(settings, repo, rings, apps, overrides, zones, bootstrap);
    }

    /// <summary>The inventory's absolute path and the name problems use for it (project-relative when inside the project).</summary>
    internal static (string Path, string Display) InventoryPath(string projectDir, IStackConfig config, List<string> problems)
    {
        var entry = config.Get(FleetConfigKeys.Inventory);
        string? configured = null;
        if (entry is not null)
        {
            if (entry.Value is YamlScalarNode s) configured = s.Value;
            else problems.Add($"{entry.File}:{entry.Line}: {FleetConfigKeys.Inventory}: must be a file path");
        }
        var relative = string.IsNullOrWhiteSpace(configured) ? FleetConfigKeys.DefaultInventory(config.Stack, projectDir) : configured;
        var full = Path.GetFullPath(Path.Combine(projectDir, relative));
        var fromProject = Path.GetRelativePath(Path.GetFullPath(projectDir), full);
        var display = fromProject.StartsWith("..", StringComparison.Ordinal) ? full : fromProject.Replace('\\', '/');
        return (full, display);
    }

    /// <summary>Labels every store of a sharded stack with its shard (rendezvous hashing over its id), the label its
    /// per-(ring, shard) ClusterGroup selects on; the label is EdgeInfra's to set, so an inventory may not carry it.</summary>
    private static IEnumerable<Store> ShardStores(IEnumerable<Store> stores, FleetSharding sharding, List<string> problems)
    {
        foreach (var store in stores)
        {
            if (store.Labels.ContainsKey(FleetSharding.StoreShardLabel))
                problems.Add($"{store.Location}: store '{store.Id}' label '{FleetSharding.StoreShardLabel}' is set by EdgeInfra from edge-infra:fleet.shards; remove it from the inventory");
            yield return sharding.Label(store);
        }
    }

    /// <summary>A region or site override matching nothing is almost always a typo; it would silently do nothing.</summary>
    private static void CheckOverrideMatches(FleetModel model, List<string> problems)
    {
        var regions = model.Stores.Select(s => s.Region).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var ids = model.Stores.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var o in model.Overrides.Where(o => !string.IsNullOrEmpty(o.Match)))
        {
            if (o.Scope == OverrideScope.Region && !regions.Contains(o.Match!))
                problems.Add($"{o.Location}: region override '{o.Name}' (owner {o.Owner}) matches region '{o.Match}', which no store has");
            if (o.Scope == OverrideScope.Site && !ids.Contains(o.Match!))
                problems.Add($"{o.Location}: site override '{o.Name}' (owner {o.Owner}) matches store '{o.Match}', which is not in the inventory");
        }
    }
}
