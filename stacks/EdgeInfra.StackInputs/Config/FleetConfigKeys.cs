namespace EdgeInfra.StackInputs.Config;

/// <summary>The stack config keys the fleet program reads, and the defaults Pulumi.yaml's schema declares for them.</summary>
internal static class FleetConfigKeys
{
    public const string Namespace = "edge-infra";
    public const string Inventory = Namespace + ":inventory";
    public const string Fleet = Namespace + ":fleet";
    public const string FleetRepo = Namespace + ":fleetRepo";
    public const string Rings = Namespace + ":rings";
    public const string Apps = Namespace + ":apps";
    public const string Overrides = Namespace + ":overrides";
    public const string RegistryZones = Namespace + ":registryZones";
    public const string Bootstrap = Namespace + ":bootstrap";
    public const string Hub = Namespace + ":hub";
    public const string Health = Namespace + ":health";
    public const string Rollout = Namespace + ":rollout";

    public const string DefaultWorkspace = "fleet-default";
    public const string DefaultBranch = "main";
    public const string DefaultPollingInterval = "1m";
    public const string DefaultK3sVersion = "v1.34.2+k3s1";
    /// <summary>The lab's fleet repo: a local bare repo under the project's state dir.</summary>
    public const string DefaultFleetRepoUrl = ".edgeinfra/fleet.git";
    public const string DefaultMaxUnavailable = "10%";
    public const string DefaultAutoPartitionSize = "25%";

    /// <summary>The inventory of a stack when <see cref="Inventory"/> is empty: YAML, or CSV when only that exists.</summary>
    public static string DefaultInventory(string stack, string projectDir)
    {
        var yaml = Path.Combine("stacks", stack, "stores.yaml");
        var csv = Path.Combine("stacks", stack, "stores.csv");
        return !File.Exists(Path.Combine(projectDir, yaml)) && File.Exists(Path.Combine(projectDir, csv)) ? csv : yaml;
    }
}
