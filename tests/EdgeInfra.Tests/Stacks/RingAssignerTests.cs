using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.StackInputs;
using EdgeInfra.StackInputs.Inventory;

namespace EdgeInfra.Tests.Stacks;

public sealed class RingAssignerTests
{
    private static RingSpec Ring(string name, int order, double? percent) => new(name, order, percent, "10%", TimeSpan.Zero, SourceLocation.Unknown);

    private static readonly RingSpec[] Prod = [Ring("canary", 0, 1), Ring("early", 1, 10), Ring("regional", 2, 50), Ring("all", 3, 100)];

    private static List<Store> WithRings(IEnumerable<Store> stores, IReadOnlyDictionary<string, string> rings) =>
        stores.Select(s => rings.TryGetValue(s.Id, out var r) ? s with { Labels = s.Labels.SetItem(StoreLabels.RolloutRing, r) } : s).ToList();

    [Fact]
    public void Sizes_520Stores_AreRoundedPercentages()
    {
        Assert.Equal([5, 47, 208, 260], RingAssigner.Sizes(520, Prod).ToArray());
        var assignment = RingAssigner.Assign(InventoryGenerator.Generate(520, 1), Prod);
        Assert.Equal([5, 47, 208, 260], assignment.Rings.Select(r => r.Stores));
        Assert.Equal([5, 47, 208, 260], assignment.Rings.Select(r => r.Target));
    }

    [Theory]
    [InlineData(4, new[] { 1, 1, 1, 1 })]
    [InlineData(10, new[] { 1, 1, 3, 5 })]
    [InlineData(100, new[] { 1, 9, 40, 50 })]
    [InlineData(10_000, new[] { 100, 900, 4000, 5000 })]
    [InlineData(2, new[] { 1, 1, 0, 0 })]
    public void Sizes_AnyFleet_EachPercentRingGetsAStoreWhenPossible(int total, int[] expected)
    {
        var sizes = RingAssigner.Sizes(total, Prod);
        Assert.Equal(expected, sizes);
        Assert.Equal(total, sizes.Sum());
    }

    [Fact]
    public void Assign_SameStoresInAnyOrder_SameRings()
    {
        var stores = InventoryGenerator.Generate(800, 3);
        var first = RingAssigner.Assign(stores, Prod);
        var shuffled = stores.OrderBy(s => s.Id.GetHashCode(StringComparison.Ordinal)).Reverse().ToList();
        var second = RingAssigner.Assign(shuffled, Prod);
        Assert.Equal(first.Assigned, second.Assigned);
        Assert.Equal(800, first.Assigned.Count);
    }

    [Fact]
    public void Assign_DifferentSeed_DifferentButEquallySizedRings()
    {
        var stores = InventoryGenerator.Generate(800, 3);
        var a = RingAssigner.Assign(stores, Prod, seed: 1);
        var b = RingAssigner.Assign(stores, Prod, seed: 2);
        Assert.NotEqual(a.Assigned, b.Assigned);
        Assert.Equal(a.Rings.ToArray(), b.Rings.ToArray());
    }

    [Fact]
    public void Assign_StoresAdded_NoExistingStoreChangesRing()
    {
        var initial = InventoryGenerator.Generate(520, 7);
        var first = RingAssigner.Assign(initial, Prod);
        var labelled = WithRings(initial, first.Assigned);
        var added = InventoryGenerator.Generate(300, 8).Select(s => s with { Id = s.Id.Replace("store-", "store-new-") }).ToList();

        var second = RingAssigner.Assign([.. labelled, .. added], Prod);
        Assert.All(second.Assigned.Keys, id => Assert.StartsWith("store-new-", id));
        Assert.Equal(300, second.Assigned.Count);
        // The new stores fill each ring toward its target for the bigger fleet.
        Assert.Equal(RingAssigner.Sizes(820, Prod).ToArray(), second.Rings.Select(r => r.Stores).ToArray());
    }

    [Fact]
    public void Assign_LabelNamingNoRing_IsReassignedOthersKept()
    {
        var stores = WithRings(InventoryGenerator.Generate(100, 9), new Dictionary<string, string>());
        var first = RingAssigner.Assign(stores, Prod);
        var labelled = WithRings(stores, first.Assigned);
        var broken = labelled[10] with { Labels = labelled[10].Labels.SetItem(StoreLabels.RolloutRing, "retired-ring") };
        labelled[10] = broken;
        var second = RingAssigner.Assign(labelled, Prod);
        Assert.Equal([broken.Id], second.Assigned.Keys);
        Assert.Equal(first.Assigned[broken.Id], second.Assigned[broken.Id]);
    }

    [Fact]
    public void Assign_CanarySmallerThanStrata_CoversLargestStrataFirst()
    {
        var stores = InventoryGenerator.Generate(2000, 11);
        var assignment = RingAssigner.Assign(stores, Prod);
        var canary = assignment.Assigned.Where(a => a.Value == "canary").Select(a => a.Key).ToHashSet();
        Assert.Equal(20, canary.Count);
        Assert.True(assignment.Strata.Length > 20, $"only {assignment.Strata.Length} strata");
        var covered = stores.Where(s => canary.Contains(s.Id)).Select(RingAssigner.Stratum).ToHashSet();
        Assert.Equal(assignment.Strata.Take(20).ToHashSet(), covered);
        Assert.Equal(20, assignment.CanaryStrata.Length);
    }

    [Fact]
    public void Assign_CanaryLargerThanStrata_CoversEveryStratum()
    {
        var stores = InventoryGenerator.Generate(1000, 12);
        RingSpec[] rings = [Ring("canary", 0, 10), Ring("all", 1, 100)];
        var assignment = RingAssigner.Assign(stores, rings);
        Assert.Equal(assignment.Strata.Length, assignment.CanaryStrata.Length);
        Assert.Equal(100, assignment.Rings[0].Stores);
        Assert.Contains($"canary covers {assignment.Strata.Length} of {assignment.Strata.Length}", assignment.Summary());
    }

    [Fact]
    public void Assign_LaterRings_AreProportionalSamples()
    {
        var stores = InventoryGenerator.Generate(4000, 13);
        var assignment = RingAssigner.Assign(stores, Prod);
        var regional = stores.Where(s => assignment.Assigned[s.Id] == "regional").ToList();
        foreach (var region in stores.Select(s => s.Region).Distinct())
        {
            var share = stores.Count(s => s.Region == region) / (double)stores.Count;
            var inRing = regional.Count(s => s.Region == region) / (double)regional.Count;
            Assert.InRange(inRing, share - 0.02, share + 0.02);
        }
    }

    [Fact]
    public void Assign_RingWithoutPercentBeforeLast_IsRefused()
    {
        var e = Assert.Throws<FleetModelException>(() =>
            RingAssigner.Assign(InventoryGenerator.Generate(10, 1), [Ring("pilot", 0, null), Ring("all", 1, 100)]));
        Assert.Contains("ring 'pilot' has no percent", Assert.Single(e.Problems));
    }

    [Fact]
    public void Assign_Labels_AreValidRingNames()
    {
        var assignment = RingAssigner.Assign(InventoryGenerator.Generate(50, 2), Prod);
        Assert.All(assignment.Assigned.Values, r => Assert.Contains(r, Prod.Select(p => p.Name)));
        Assert.IsType<ImmutableSortedDictionary<string, string>>(assignment.Assigned);
    }
}
