using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using static EdgeInfra.Tests.Rollout.Status.HubObjects;

namespace EdgeInfra.Tests.Rollout.Status;

public sealed class StoreClassifierTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(3);

    /// <summary>One store in ring canary (applied at <see cref="HubObjects.New"/>) with one BD of app pos.</summary>
    public static TheoryData<string, TimeSpan?, HubBundleDeployment?, StoreState> Cases => new()
    {
        { "new deployment applied and Ready", Fresh, Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: true), StoreState.Ready },
        { "old deployment Ready, new one staged but not promoted", Fresh, Bd("s1", "canary", "pos", New, "d2", "d1", "d1", ready: true), StoreState.Pending },
        { "old commit, old deployment Ready", Fresh, Bd("s1", "canary", "pos", Old, "d1", "d1", "d1", ready: true), StoreState.Pending },
        { "promoted, agent still reports the old applied ID as Ready", Fresh, Bd("s1", "canary", "pos", New, "d2", "d2", "d1", ready: true), StoreState.Applying },
        { "applied, not Ready for a minute", Fresh, Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: false, notReadyFor: TimeSpan.FromMinutes(1)), StoreState.Applying },
        { "applied, not Ready past the deadline while online", Fresh, Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: false, notReadyFor: TimeSpan.FromHours(1)), StoreState.Failed },
        { "ErrApplied", Fresh, Bd("s1", "canary", "pos", New, "d2", "d2", "d1", ready: true, deployError: "image pull failed"), StoreState.Failed },
        { "Modified", Fresh, Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: true, nonModified: false), StoreState.Drifted },
        { "Ready but the agent is silent past the threshold", TimeSpan.FromMinutes(45), Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: true), StoreState.Offline },
        { "not Ready past the deadline but offline", TimeSpan.FromHours(2), Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: false, notReadyFor: TimeSpan.FromHours(3)), StoreState.Offline },
        { "agent never checked in", null, null, StoreState.Offline },
        { "online, no BundleDeployment yet", Fresh, null, StoreState.Pending },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_OneStore_GivesState(string why, TimeSpan? seenAgo, HubBundleDeployment? bd, StoreState expected)
    {
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", seenAgo)], [GitRepo("canary", New)], [Bundle("canary", "pos", New)], bd is null ? [] : [bd]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.True(expected == status.State, $"{why}: expected {expected.ToWire()}, got {status.State.ToWire()} ({status.Reason})");
        Assert.Equal("canary", status.Ring);
    }

    [Fact]
    public void Classify_RingNotOpened_IsNotSelectedWithItsAppliedRevision()
    {
        var model = Model(Store("s1", "early"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("early", Old)], [Bundle("early", "pos", Old)],
            [Bd("s1", "early", "pos", Old, "d1", "d1", "d1", ready: true)]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.Equal(StoreState.NotSelected, status.State);
        Assert.Equal(Old, status.AppliedRevision);
    }

    [Fact]
    public void Classify_Ready_ReportsLastSeenAndRevisions()
    {
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", New)], [Bundle("canary", "pos", New)],
            [Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: true)]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.Equal(StoreState.Ready, status.State);
        Assert.Equal(Now - Fresh, status.LastSeen);
        Assert.Equal(New, status.AppliedRevision);
        Assert.Equal(New, status.AttemptedRevision);
    }

    [Fact]
    public void Classify_ApplyingAfterReady_RemembersLastAppliedRevision()
    {
        var model = Model(Store("s1", "canary"));
        var classifier = new StoreClassifier(FleetStatusPolicy.Default);
        classifier.Classify(model, new Dictionary<string, string> { ["canary"] = Old },
            new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", Old)], [Bundle("canary", "pos", Old)],
                [Bd("s1", "canary", "pos", Old, "d1", "d1", "d1", ready: true)]), Now);

        var status = classifier.Classify(model, Revisions(),
            new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", New)], [Bundle("canary", "pos", New)],
                [Bd("s1", "canary", "pos", New, "d2", "d2", "d1", ready: true)]), Now)["s1"];

        Assert.Equal(StoreState.Applying, status.State);
        Assert.Equal(Old, status.AppliedRevision);
        Assert.Equal(New, status.AttemptedRevision);
    }

    [Fact]
    public void Classify_OneOfTwoBundlesReady_IsTheWorseState()
    {
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", New)],
            [Bundle("canary", "pos", New), Bundle("canary", "signage", New)],
            [Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: true), Bd("s1", "canary", "signage", New, "e2", "e1", "e1", ready: true)]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.Equal(StoreState.Pending, status.State);
    }

    [Fact]
    public void Classify_SecondBundleWithoutDeployment_IsPending()
    {
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", New)],
            [Bundle("canary", "pos", New), Bundle("canary", "signage", New)],
            [Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: true)]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.Equal(StoreState.Pending, status.State);
        Assert.Contains("1 of the ring's 2 bundles", status.Reason);
    }

    [Fact]
    public void Classify_GitRepoNotOnRevisionYet_IsPendingSayingSo()
    {
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", Old)], [Bundle("canary", "pos", Old)],
            [Bd("s1", "canary", "pos", Old, "d1", "d1", "d1", ready: true)]);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.Equal(StoreState.Pending, status.State);
        Assert.Contains("Fleet has read", status.Reason);
    }

    [Fact]
    public void Classify_SiteClassThreshold_AppliesByLabel()
    {
        var policy = FleetStatusPolicy.Default with
        {
            OfflineThresholds = [new OfflineThreshold("network-tier", "satellite", TimeSpan.FromHours(4))],
        };
        var model = Model(Store("sat", "canary", tier: "satellite"), Store("fib", "canary"));
        var bds = new[] { "sat", "fib" }.Select(s => Bd(s, "canary", "pos", New, "d2", "d2", "d2", ready: true)).ToList();
        var snapshot = new HubSnapshot([Cluster("sat", TimeSpan.FromHours(1)), Cluster("fib", TimeSpan.FromHours(1))],
            [GitRepo("canary", New)], [Bundle("canary", "pos", New)], bds);

        var statuses = new StoreClassifier(policy).Classify(model, Revisions(), snapshot, Now);

        Assert.Equal(StoreState.Ready, statuses["sat"].State);
        Assert.Equal(StoreState.Offline, statuses["fib"].State);
    }

    [Fact]
    public void Classify_NotReadyWithoutConditionTime_FailsOnceSeenLongerThanTheDeadline()
    {
        var model = Model(Store("s1", "canary"));
        var bd = Bd("s1", "canary", "pos", New, "d2", "d2", "d2", ready: false);
        var classifier = new StoreClassifier(FleetStatusPolicy.Default);
        HubSnapshot Snapshot(DateTimeOffset at) => new([SeenAt(Cluster("s1", Fresh), at - Fresh)], [GitRepo("canary", New)],
            [Bundle("canary", "pos", New)], [bd]);

        var first = classifier.Classify(model, Revisions(), Snapshot(Now), Now)["s1"];
        var later = classifier.Classify(model, Revisions(), Snapshot(Now + TimeSpan.FromMinutes(31)), Now + TimeSpan.FromMinutes(31))["s1"];

        Assert.Equal(StoreState.Applying, first.State);
        Assert.Equal(StoreState.Failed, later.State);
    }

    [Fact]
    public void Classify_NoClusterOnTheHub_IsPending()
    {
        var model = Model(Store("s1", "canary"));
        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(),
            new HubSnapshot([], [GitRepo("canary", New)], [Bundle("canary", "pos", New)], []), Now)["s1"];

        Assert.Equal(StoreState.Pending, status.State);
    }

    // A ring applied for the first time creates its Clusters; their agents register within seconds. The lab showed every
    // store of the ring offline on the first check after the apply; a Cluster that young is registering, not offline.
    [Theory]
    [InlineData(15, StoreState.Pending)]
    [InlineData(29 * 60, StoreState.Pending)]
    [InlineData(31 * 60, StoreState.Offline)]
    public void Classify_ClusterCreatedAgoNoCheckInYet_IsOfflineOnlyPastTheThreshold(int createdSecondsAgo, StoreState expected)
    {
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", null, createdAgo: TimeSpan.FromSeconds(createdSecondsAgo))],
            [GitRepo("canary", New)], [Bundle("canary", "pos", New)], []);

        var status = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.True(expected == status.State, $"expected {expected.ToWire()}, got {status.State.ToWire()} ({status.Reason})");
    }

    [Theory]
    [InlineData(true, StoreState.Ready)]
    [InlineData(false, StoreState.Pending)]
    public void Classify_RelabelledWithALaterCommit_IsOnTheRevisionOnlyWhenTheRingsDirsAreUnchanged(bool sameContent, StoreState expected)
    {
        // Fleet relabels every BD of a GitRepo with the last commit it read, also when that commit changed another ring.
        const string later = "3333333333333333333333333333333333333333";
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", later)], [Bundle("canary", "pos", later)],
            [Bd("s1", "canary", "pos", later, "d2", "d2", "d2", ready: true)]);
        var content = new FixedRingContent(("canary", New, later, sameContent));

        var status = new StoreClassifier(FleetStatusPolicy.Default, content).Classify(model, Revisions(), snapshot, Now)["s1"];
        var strict = new StoreClassifier(FleetStatusPolicy.Default).Classify(model, Revisions(), snapshot, Now)["s1"];

        Assert.True(expected == status.State, $"expected {expected.ToWire()}, got {status.State.ToWire()} ({status.Reason})");
        if (sameContent) Assert.Equal(New, status.AppliedRevision);
        Assert.Equal(StoreState.Pending, strict.State);
    }

    // A store offline when its ring was applied at R comes back after a catch-up release C that also re-rendered the
    // ring's bundle dirs (C is not a ring revision); Fleet labels its BDs with C. It runs R's change: ready, not pending.
    [Theory]
    [InlineData(true, StoreState.Ready)]
    [InlineData(false, StoreState.Pending)]
    public void Classify_CaughtUpLateOnALaterCommitThatChangedTheRing_IsReadyByAncestry(bool labelledLater, StoreState expected)
    {
        using var repo = new EdgeInfra.Tests.Lab.Simulator.TestFleetRepo();
        var before = repo.Commit("pos 2.4.0", new Dictionary<string, string?> { ["apps/pos/canary/fleet.yaml"] = "helm: {version: 2.4.0}\n" });
        var revision = repo.Commit("pos 2.4.1", new Dictionary<string, string?> { ["apps/pos/canary/fleet.yaml"] = "helm: {version: 2.4.1}\n" });
        var catchUp = repo.Commit("catch-up: release 1 store(s)", new Dictionary<string, string?>
        {
            ["hub/clusters/s1.yaml"] = "kind: Cluster\n",
            ["apps/pos/canary/fleet.yaml"] = "helm: {version: 2.4.1}\ntargetCustomizations: []\n",
        });
        var label = labelledLater ? catchUp : before;
        using var content = new EdgeInfra.Providers.FleetRepo.RingContentHistory(
            new EdgeInfra.Providers.FleetRepo.FleetRepoOptions(repo.Path, "main", Path.Combine(repo.Dir, "cache"), "t", "t@localhost"));
        var model = Model(Store("s1", "canary"));
        var snapshot = new HubSnapshot([Cluster("s1", Fresh)], [GitRepo("canary", label)], [Bundle("canary", "pos", label)],
            [Bd("s1", "canary", "pos", label, "d2", "d2", "d2", ready: true)]);

        var status = new StoreClassifier(FleetStatusPolicy.Default, content)
            .Classify(model, new Dictionary<string, string> { ["canary"] = revision }, snapshot, Now)["s1"];

        Assert.True(expected == status.State, $"expected {expected.ToWire()}, got {status.State.ToWire()} ({status.Reason})");
        if (labelledLater) Assert.Equal(revision, status.AppliedRevision);
    }

    private sealed class FixedRingContent(params (string Ring, string Revision, string Other, bool Same)[] answers) : EdgeInfra.Providers.FleetRepo.IRingContent
    {
        public bool IsAtOrAfter(string ring, string revision, string other) =>
            answers.Any(a => a.Ring == ring && a.Revision == revision && a.Other == other && a.Same);
    }

    private static HubCluster SeenAt(HubCluster cluster, DateTimeOffset seen)
    {
        cluster.Status!.Agent = new HubAgentStatus { LastSeen = Rfc3339(seen) };
        return cluster;
    }

    private static Dictionary<string, string> Revisions() => new() { ["canary"] = New };
}
