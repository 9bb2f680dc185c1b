using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Lab.Simulator;

namespace EdgeInfra.Tests.Providers.FleetRepo;

public sealed class RingContentHistoryTests
{
    [Fact]
    public void SameRingContent_CommitsChangingOtherRingsOrTheRing_ComparesOnlyTheRingsBundleDirs()
    {
        using var repo = new TestFleetRepo();
        var first = repo.Commit("both rings", new Dictionary<string, string?>
        {
            ["apps/pos-app/r1/fleet.yaml"] = "helm: {values: {tag: 1.0.0}}\n",
            ["apps/store-baseline/r1/configmap.yaml"] = "kind: ConfigMap\n",
            ["apps/pos-app/r2/fleet.yaml"] = "helm: {values: {tag: 1.0.0}}\n",
        });
        var otherRing = repo.Commit("r2 only", new Dictionary<string, string?> { ["apps/pos-app/r2/fleet.yaml"] = "helm: {values: {tag: 2.0.0}}\n" });
        var hubOnly = repo.Commit("hub files", new Dictionary<string, string?> { ["hub/clusters/s1.yaml"] = "kind: Cluster\n" });
        var ringChanged = repo.Commit("r1", new Dictionary<string, string?> { ["apps/store-baseline/r1/configmap.yaml"] = "kind: ConfigMap # 2\n" });
        var rolledBack = repo.Commit("r1 back", new Dictionary<string, string?> { ["apps/store-baseline/r1/configmap.yaml"] = "kind: ConfigMap\n" });
        using var content = new RingContentHistory(new FleetRepoOptions(repo.Path, "main", Path.Combine(repo.Dir, "cache"), "t", "t@localhost"));

        Assert.True(content.SameRingContent("r1", first, first));
        Assert.True(content.SameRingContent("r1", first, otherRing));
        Assert.True(content.SameRingContent("r1", first, hubOnly));
        Assert.False(content.SameRingContent("r1", first, ringChanged));
        Assert.True(content.SameRingContent("r1", first, rolledBack)); // byte-identical dirs: the store runs the same thing
        Assert.False(content.SameRingContent("r2", first, otherRing));
        Assert.True(content.SameRingContent("r2", otherRing, ringChanged));
        Assert.False(content.SameRingContent("r1", first, "0123456789012345678901234567890123456789"));
    }
}
