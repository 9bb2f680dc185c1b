using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Components;

public sealed class FleetStackBuilderPausesTests
{
    private static DesiredStack Early(IReadOnlySet<string> paused) =>
        FleetStackBuilder.BuildRing(TestFleet.Small(), "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret, paused);

    /// <summary>Pause sets over the ring's two stores, by index: before → after.</summary>
    public static TheoryData<int[], int[]> Transitions => new()
    {
        { [], [0] },
        { [0], [] },
        { [0], [1] },
        { [], [0, 1] },
        { [0, 1], [1] },
        { [1], [1] },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void WithPauses_PausesChanged_EqualsTheRingRenderedWithThosePauses(int[] before, int[] after)
    {
        var model = TestFleet.Small();
        var stores = model.StoresInRing("early").OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        HashSet<string> Ids(int[] indexes) => indexes.Select(i => stores[i].Id).ToHashSet(StringComparer.Ordinal);
        var (then, now) = (Ids(before), Ids(after));
        var changed = stores.Where(s => then.Contains(s.Id) != now.Contains(s.Id)).ToList();

        var incremental = FleetStackBuilder.WithPauses(Early(then), model, changed, now);

        // The whole stack as state records it (every resource, input, tag, move key and output), byte for byte.
        Assert.Equal(DesiredStackDigest.Compute(Early(now)), DesiredStackDigest.Compute(incremental));
        Assert.Equal(now.Count, incremental.Resources.Count(r => r.Inputs.GetOrDefault(FleetResourceKeys.Content) is { } c && c.Contains("paused: true")));
    }
}
