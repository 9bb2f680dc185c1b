namespace EdgeInfra.Tests.Stacks;

/// <summary>Every inventory problem is reported at once, each with the inventory file and the store's line.</summary>
public sealed class InventoryValidationTests
{
    private const string File = "stacks/test/stores.yaml";

    private static string Inventory(params string[] stores) => "# header comment\nstores:\n" + string.Concat(stores);

    /// <summary>Line of the n-th store (0-based) in an inventory built from <see cref="TempProject.StoreYaml"/> items.</summary>
    private static int Line(int store) => 3 + 13 * store;

    public static TheoryData<string, string[]> BadInventories => new()
    {
        {
            Inventory(TempProject.StoreYaml("store-a"), TempProject.StoreYaml("store-a", "early")),
            [$"{File}:{Line(1)}: duplicate store id 'store-a' (first at {File}:{Line(0)})"]
        },
        {
            Inventory(TempProject.StoreYaml("Store_A"), TempProject.StoreYaml("store-b")),
            [$"{File}:{Line(0)}: store id 'Store_A' must be a DNS-1123 label"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a", region: "central europe")),
            [$"{File}:{Line(0)}: store 'store-a' label region='central europe' is not a valid Kubernetes label value"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a").Replace("country: hu", "bad key!: hu")),
            [$"{File}:{Line(0)}: store 'store-a' label key 'bad key!' is not a valid Kubernetes label key",
             $"{File}:{Line(0)}: store 'store-a' is missing required label 'country'"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a", zone: "apac")),
            [$"{File}:{Line(0)}: store 'store-a' registry-zone 'apac' is not a configured registry zone (zones are: eu, us)"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a", ring: "canray")),
            [$"{File}:{Line(0)}: store 'store-a' rollout-ring 'canray' names no ring (rings are: canary, early, all)"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a").Replace("      rollout-ring: canary\n", "")),
            [$"{File}:{Line(0)}: store 'store-a' is in no ring", "1 store(s) have no rollout-ring label; assign them from the ring percentages with: edgeinfra rings assign --stack test"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a").Replace("      timezone: Europe.Budapest\n", "      timezone: Europe.Atlantis\n").Replace("02-05", "2am")),
            [$"{File}:{Line(0)}: store 'store-a' timezone 'Europe.Atlantis' is not an IANA time zone",
             $"{File}:{Line(0)}: store 'store-a' maintenance-window '2am' must be HH-HH or HHMM-HHMM"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a").Replace("      traffic-tier: high\n", "").Replace("      hardware-class: edge-medium\n", "")),
            [$"{File}:{Line(0)}: store 'store-a' is missing required label 'traffic-tier'",
             $"{File}:{Line(0)}: store 'store-a' is missing required label 'hardware-class'"]
        },
        {
            Inventory(TempProject.StoreYaml("store-a").Replace("      region: central\n", "      region: central\n      region: south\n")),
            [$"{File}:{Line(0) + 4}: duplicate key 'region' (first at line {Line(0) + 3}); the second would silently replace the first"]
        },
        {
            "stores:\n  - id: store-a\n    labels: [a, b]\n",
            [$"{File}:3: store field 'labels' is unknown or not of the right shape"]
        },
        {
            "stores:\n  - id: store-a\n    labels:\n      region: [x\n",
            [$"{File}:5: YAML syntax error"]
        },
    };

    [Theory]
    [MemberData(nameof(BadInventories))]
    public void Load_BadInventory_ReportsEachProblemWithFileAndLine(string inventory, string[] expected)
    {
        using var project = new TempProject(inventory: inventory);
        var problems = project.Problems();
        foreach (var e in expected)
            Assert.True(problems.Any(p => p.StartsWith(e, StringComparison.Ordinal)),
                $"expected a problem starting with\n  {e}\ngot:\n  {string.Join("\n  ", problems)}");
    }

    [Fact]
    public void Load_ManyBadStores_ReportsEveryProblemAtOnce()
    {
        using var project = new TempProject(inventory: Inventory(
            TempProject.StoreYaml("store-a", zone: "apac"),
            TempProject.StoreYaml("store-a", ring: "nope"),
            TempProject.StoreYaml("store_c", region: "bad value!")));
        var problems = project.Problems();
        Assert.Contains(problems, p => p.StartsWith($"{File}:{Line(0)}: store 'store-a' registry-zone 'apac'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{File}:{Line(1)}: duplicate store id 'store-a'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{File}:{Line(1)}: store 'store-a' rollout-ring 'nope'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{File}:{Line(2)}: store id 'store_c'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"{File}:{Line(2)}: store 'store_c' label region='bad value!'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_StoreListedByTwoRings_IsInTwoRings()
    {
        var stack = TempProject.ValidStack
            .Replace("      bake: 30m\n", "      bake: 30m\n      stores: [store-b]\n")
            .Replace("      bake: 2h\n", "      bake: 2h\n      stores: [store-b, store-x]\n");
        using var project = new TempProject(stack);
        var problems = project.Problems();
        Assert.Contains(problems, p => p.Contains("store 'store-b' is in two rings: listed by ring 'canary' at Pulumi.test.yaml:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ring 'early' lists store 'store-x', which is not in the inventory", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_StoreListedByOneRingLabelledWithAnother_IsInTwoRings()
    {
        using var project = new TempProject(TempProject.ValidStack.Replace("      bake: 30m\n", "      bake: 30m\n      stores: [store-b]\n"));
        // ValidInventory has no header comment: its stores sit one line higher than Line() counts.
        var problem = Assert.Single(project.Problems());
        Assert.StartsWith($"{File}:{Line(1) - 1}: store 'store-b' is in two rings: labelled rollout-ring 'early' and listed by ring 'canary' at Pulumi.test.yaml:", problem);
    }

    [Fact]
    public void Load_StoreListedByRingWithoutLabel_GetsTheRing()
    {
        var inventory = "stores:\n" + TempProject.StoreYaml("store-a") + TempProject.StoreYaml("store-b").Replace("      rollout-ring: canary\n", "");
        using var project = new TempProject(TempProject.ValidStack.Replace("      bake: 2h\n", "      bake: 2h\n      stores: [store-b]\n"), inventory);
        var model = project.Load().Model;
        Assert.Equal("early", model.Stores.Single(s => s.Id == "store-b").Ring);
    }
}
