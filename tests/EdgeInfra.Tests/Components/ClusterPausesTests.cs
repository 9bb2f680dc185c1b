using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Tests.Components;

public sealed class ClusterPausesTests
{
    private static DesiredStack Early(IReadOnlySet<string>? paused = null) =>
        FleetStackBuilder.BuildRing(TestFleet.Small(), "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret, paused);

    private static Dictionary<string, string> Files(DesiredStack stack) => stack.Resources
        .Where(r => r.Provider == FleetProviders.FleetRepo)
        .ToDictionary(r => r.Inputs[FleetResourceKeys.Path], r => r.Inputs[FleetResourceKeys.Content], StringComparer.Ordinal);

    [Fact]
    public void Apply_VersionRecordedBeforeAStoreWasPaused_RendersEveryFileAsTodaysPausedRenderDoes()
    {
        var stores = TestFleet.Small().StoresInRing("early").Select(s => s.Id).ToList();
        var pausedNow = new HashSet<string>(StringComparer.Ordinal) { stores[0] };
        var pausedThen = new HashSet<string>(StringComparer.Ordinal) { stores[1] };

        var restored = ClusterPauses.Apply(Early(pausedThen), pausedNow);

        // Byte for byte what rendering with today's pauses gives: the store paused since stays paused, the one paused
        // then is not any more, nothing else moves.
        Assert.Equal(Files(Early(pausedNow)), Files(restored));
        Assert.Contains("paused: true", Files(restored)[$"hub/clusters/{stores[0]}.yaml"]);
        Assert.DoesNotContain("paused", Files(restored)[$"hub/clusters/{stores[1]}.yaml"]);
    }

    [Fact]
    public void Apply_PausesUnchanged_ReturnsTheSameResources()
    {
        var stack = Early();

        var restored = ClusterPauses.Apply(stack, new HashSet<string>(StringComparer.Ordinal));

        Assert.Equal(Files(stack), Files(restored));
    }
}
