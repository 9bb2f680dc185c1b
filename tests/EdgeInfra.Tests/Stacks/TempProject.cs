using EdgeInfra.Engine.Config;
using EdgeInfra.Tests.Engine.Config;
using EdgeInfra.Tests.Components;

namespace EdgeInfra.Tests.Stacks;

/// <summary>A throwaway project directory: the shipped Pulumi.yaml and apps, a test stack file and an inventory.</summary>
internal sealed class TempProject : IDisposable
{
    public const string Stack = "test";
    public static readonly DateOnly Today = new(2026, 12, 1);

    /// <summary>Three rings, two zones, one helm app: a stack file that loads cleanly with <see cref="ValidInventory"/>.</summary>
    public const string ValidStack = """
        config:
          edge-infra:fleet:
            repoUrl: https://git.example.com/edge/fleet.git
          edge-infra:rings:
            - name: canary
              percent: 10
              maxUnavailable: "1"
              bake: 30m
            - name: early
              percent: 50
              bake: 2h
            - name: all
              percent: 100
          edge-infra:registryZones:
            eu:
              mirror: https://mirror-eu.example.com:5000
              upstreams: [registry.example.com]
            us:
              mirror: https://mirror-us.example.com
              upstreams: [registry.example.com]
          edge-infra:apps:
            pos-app:
              kind: helm
              version: 2.4.1
              chart: pos-app
              image: registry.example.com/edge/pos-app
        """;

    public static string StoreYaml(string id, string ring = "canary", string region = "central", string zone = "eu", string tier = "fiber") => $"""
          - id: {id}
            labels:
              site-id: {id}
              region: {region}
              country: hu
              rollout-ring: {ring}
              store-format: supermarket
              traffic-tier: high
              network-tier: {tier}
              hardware-class: edge-medium
              maintenance-window: 02-05
              registry-zone: {zone}
              timezone: Europe.Budapest

        """;

    public static string ValidInventory => "stores:\n" + StoreYaml("store-a") + StoreYaml("store-b", "early") + StoreYaml("store-c", "all", "south", "us");

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "edgeinfra-stacks-" + Guid.NewGuid().ToString("N"));

    public TempProject(string stackYaml = ValidStack, string? inventory = null, string inventoryName = "stores.yaml")
    {
        Directory.CreateDirectory(Path.Combine(Dir, "stacks", Stack));
        File.Copy(Path.Combine(RepoPaths.Root, "Pulumi.yaml"), Path.Combine(Dir, "Pulumi.yaml"));
        CopyDir(Path.Combine(RepoPaths.Root, "stacks", "apps"), Path.Combine(Dir, "stacks", "apps"));
        StackYaml = stackYaml;
        File.WriteAllText(Path.Combine(Dir, "stacks", Stack, inventoryName), inventory ?? ValidInventory);
    }

    public string StackYaml
    {
        get => File.ReadAllText(Path.Combine(Dir, $"Pulumi.{Stack}.yaml"));
        set => File.WriteAllText(Path.Combine(Dir, $"Pulumi.{Stack}.yaml"), value);
    }

    public string InventoryPath(string name = "stores.yaml") => Path.Combine(Dir, "stacks", Stack, name);

    /// <summary>The stack's config through the real loader (a project without secrets needs no passphrase).</summary>
    public StackConfig Config() => StackConfigLoader.Load(ProjectFile.Load(Dir), Stack, new NoPassphrase());

    public EdgeInfra.StackInputs.LoadedFleet Load() => EdgeInfra.StackInputs.FleetLoader.Load(Dir, Config(), Today);

    /// <summary>The problems loading reports (fails the test when loading succeeds).</summary>
    public IReadOnlyList<string> Problems() => Assert.ThrowsAny<EdgeInfra.Engine.InputException>(() => Load()).Problems;

    private static void CopyDir(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
