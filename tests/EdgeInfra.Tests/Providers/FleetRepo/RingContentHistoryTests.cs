using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Lab.Simulator;

namespace EdgeInfra.Tests.Providers.FleetRepo;

public sealed class RingContentHistoryTests
{
    [Fact]
    public void IsAtOrAfter_LaterAndEarlierCommits_DescendantsOrIdenticalRingDirsStandForTheRevision()
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

        Assert.True(content.IsAtOrAfter("r1", first, first));
        Assert.True(content.IsAtOrAfter("r1", first, otherRing));
        Assert.True(content.IsAtOrAfter("r1", first, hubOnly));
        Assert.True(content.IsAtOrAfter("r1", first, ringChanged));    // a later commit that changed the ring: caught up past it
        Assert.False(content.IsAtOrAfter("r1", ringChanged, first));   // an earlier commit with other ring dirs
        Assert.False(content.IsAtOrAfter("r1", ringChanged, hubOnly));
        Assert.True(content.IsAtOrAfter("r1", rolledBack, first));     // earlier but byte-identical dirs: the same thing runs
        Assert.False(content.IsAtOrAfter("r2", otherRing, first));
        Assert.True(content.IsAtOrAfter("r2", ringChanged, otherRing));
        Assert.False(content.IsAtOrAfter("r1", first, "0123456789012345678901234567890123456789"));
    }
}
