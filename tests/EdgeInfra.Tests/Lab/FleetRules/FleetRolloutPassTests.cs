using EdgeInfra.Components.Rendering;
using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary>One reconcile pass (partition.go <c>UpdatePartitions</c>) and passes chained with a stand-in agent.</summary>
public sealed class FleetRolloutPassTests
{
    private static RolloutPassResult Pass(IReadOnlyList<FleetTarget> targets, FleetRolloutStrategy? strategy = null,
        bool bundlePaused = false, IReadOnlyList<FleetClusterGroup>? groups = null) =>
        FleetRolloutPass.Run(new RolloutPassInput(targets, "new", strategy, groups, bundlePaused));

    [Fact]
    public void Run_DefaultsOnSettledFleet_PromotesEveryoneInOnePass()
    {
        var result = Pass(FleetTargets.SettledOld(5));

        Assert.Equal(5, result.Promoted.Count);
        Assert.False(result.BlockedThisReconcile);
        Assert.All(result.Deployments.Values, bd => Assert.Equal("new", bd.DeploymentID));
    }

    [Fact]
    public void Run_IntegerMaxUnavailableZero_DeadlocksAvailableClusters()
    {
        var result = Pass(FleetTargets.SettledOld(5), new FleetRolloutStrategy(MaxUnavailable: 0));

        Assert.Empty(result.Promoted);
        Assert.True(result.BlockedThisReconcile);
        Assert.Equal(5, result.Staged.Count); // staged, but never promoted: 0 < 0 is false
        Assert.All(result.Deployments.Values, bd => Assert.Equal(("old", "new"), (bd.DeploymentID, bd.StagedDeploymentID)));
        Assert.Equal(0, result.BundleStatus!.MaxUnavailable);
    }

    [Fact]
    public void Run_MaxUnavailableZero_StillPromotesAlreadyUnavailableAndNewClusters()
    {
        List<FleetTarget> targets =
        [
            .. FleetTargets.SettledOld(2),
            new("broken", FleetTargets.NoLabels, Deployment: FleetBundleDeployment.Settled("old") with { Ready = false }),
            new("fresh", FleetTargets.NoLabels),
        ];

        var result = Pass(targets, new FleetRolloutStrategy(MaxUnavailable: 0));

        Assert.Equal(["broken", "fresh"], result.Promoted.Order(StringComparer.Ordinal));
        Assert.Equal(["fresh"], result.Created);
    }

    [Theory]
    [InlineData("0%", 1)]
    [InlineData("1", 1)]
    [InlineData("40%", 2)]
    [InlineData("100%", 5)]
    public void Run_PercentBudget_PromotesThatManyAvailableClusters(string maxUnavailable, int promoted)
    {
        var result = Pass(FleetTargets.SettledOld(5), new FleetRolloutStrategy(MaxUnavailable: maxUnavailable));

        Assert.Equal(promoted, result.Promoted.Count);
        Assert.Equal(FleetTargets.SettledOld(5).Select(t => t.Name).Order(StringComparer.Ordinal).Take(promoted), result.Promoted);
    }

    [Fact]
    public void Run_MaxUnavailableOne_RollsOneClusterPerPassAndWaitsForAnOfflineOne()
    {
        var targets = FleetTargets.SettledOld(4);
        var strategy = new FleetRolloutStrategy(MaxUnavailable: 1);
        var promotedPerPass = new List<string>();
        for (var pass = 0; pass < 6; pass++)
        {
            var result = Pass(targets, strategy);
            promotedPerPass.Add(string.Join(",", result.Promoted));
            targets = FleetTargets.AfterAgents(targets, result, stuck: "c-3");
        }

        // c-3 never applies: it holds the single slot, so c-4 never starts.
        Assert.Equal(["c-1", "c-2", "c-3", "", "", ""], promotedPerPass);
        Assert.True(Pass(targets, strategy).BlockedThisReconcile);
    }

    [Fact]
    public void Run_MaxNewDefault_Creates50BundleDeploymentsPerPass()
    {
        var targets = FleetTargets.Many(230);
        var created = new List<int>();
        for (var pass = 0; pass < 6; pass++)
        {
            var result = Pass(targets);
            created.Add(result.Created.Count);
            Assert.Equal(result.Created.Count, result.BundleStatus!.NewlyCreated);
            targets = FleetTargets.AfterAgents(targets, result);
        }

        Assert.Equal([50, 50, 50, 50, 30, 0], created);
    }

    [Fact]
    public void Run_FreshTargets_SummaryCountsTargetsWithoutBundleDeploymentAsPending()
    {
        var result = Pass(FleetTargets.Many(230));

        var summary = result.BundleStatus!.Summary;
        Assert.Equal((230, 0, 230), (summary.Pending, summary.Ready, summary.DesiredReady));
        Assert.Equal("Pending", result.BundleStatus.DisplayState);
        Assert.Equal("0/230", result.BundleStatus.ReadyClusters);
    }

    [Fact]
    public void Run_ConfiguredMaxNew_LimitsCreationButNotUpdates()
    {
        List<FleetTarget> targets = [.. FleetTargets.SettledOld(3, "old-"), .. FleetTargets.Many(5, prefix: "new-")];

        var result = Pass(targets, new FleetRolloutStrategy(MaxNew: 2));

        Assert.Equal(["new-1", "new-2"], result.Created);
        Assert.Equal((2, 2), (result.BundleStatus!.MaxNew, result.BundleStatus.NewlyCreated));
        Assert.Equal(5, result.Promoted.Count); // 2 created + 3 updated
        Assert.False(result.Deployments.ContainsKey("new-3"));
    }

    [Fact]
    public void Run_PausedClusterAndPausedBundle_StageButNeverPromote()
    {
        List<FleetTarget> targets = [.. FleetTargets.SettledOld(2), new FleetTarget("p", FleetTargets.NoLabels, Paused: true,
            Deployment: FleetBundleDeployment.Settled("old"))];

        var clusterPaused = Pass(targets);
        var bundlePaused = Pass(targets, bundlePaused: true);

        Assert.Equal(["c-1", "c-2"], clusterPaused.Promoted);
        Assert.Equal("new", clusterPaused.Deployments["p"].StagedDeploymentID);
        Assert.Empty(bundlePaused.Promoted);
        Assert.True(bundlePaused.BlockedThisReconcile);
        Assert.Equal(3, bundlePaused.Staged.Count);
        Assert.Equal(3, bundlePaused.BundleStatus!.Summary.WaitApplied); // v0.16: held targets count as WaitApplied
    }

    [Fact]
    public void Run_PausedBundleWithNewClusters_CreatesWithoutDeploymentID()
    {
        var result = Pass(FleetTargets.Many(2), bundlePaused: true);

        Assert.Equal(2, result.Created.Count);
        Assert.Empty(result.Promoted);
        Assert.All(result.Deployments.Values, bd => Assert.Equal(("", "new"), (bd.DeploymentID, bd.StagedDeploymentID)));
    }

    [Fact]
    public void Run_UnfinishedPartition_BlocksLaterPartitionsFromStagingAndCreation()
    {
        var strategy = new FleetRolloutStrategy(MaxUnavailable: 1, Partitions:
        [
            new FleetPartitionDefinition("canary", ClusterSelector: FleetPartitionTests.Selector("ring", "canary")),
            new FleetPartitionDefinition("rest", ClusterSelector: new()),
        ]);
        List<FleetTarget> targets =
        [
            FleetTargets.Labelled("a", ("ring", "canary")),
            FleetTargets.Labelled("b", ("ring", "canary")),
            FleetTargets.Labelled("c"),
            new("d", FleetTargets.NoLabels),
        ];

        var first = Pass(targets, strategy);

        // canary: limit(2, 1) = 1 so only "a" moves; 2 of 2 not up to date > 1 ⇒ unavailable partition ⇒ break.
        Assert.Equal(["a"], first.Promoted);
        Assert.Equal(["a", "b"], first.Staged);
        Assert.Empty(first.Created);
        Assert.Equal((true, false), (first.Partitions[0].Reached, first.Partitions[1].Reached));
        // Fleet writes the partition status it built before the pass (it updates a copy): 0 unavailable, not 2.
        Assert.Equal((0, 2, true), (first.Partitions[0].Unavailable, first.Partitions[0].UnavailableInPass, first.Partitions[0].IsUnavailable));
        Assert.Equal((1, 1), (first.Partitions[0].MaxUnavailable, first.Partitions[1].MaxUnavailable));
        Assert.Equal((1, 0), (first.BundleStatus!.UnavailablePartitions, first.BundleStatus.MaxUnavailablePartitions));

        var second = Pass(FleetTargets.AfterAgents(targets, first), strategy);
        // a is done, b moves; canary has 1 unavailable ≤ 1 ⇒ the pass reaches "rest": d is created and promoted, c only
        // staged (the bundle budget of 1 is held by b).
        Assert.Equal(["b", "d"], second.Promoted);
        Assert.Equal(["d"], second.Created);
        Assert.Contains("c", second.Staged);
        Assert.True(second.Partitions[1].Reached);
    }

    [Fact]
    public void Run_MaxUnavailablePartitions_LetsThePassContinuePastAnUnfinishedPartition()
    {
        var strategy = new FleetRolloutStrategy(MaxUnavailable: 1, MaxUnavailablePartitions: 1, Partitions:
        [
            new FleetPartitionDefinition("one", ClusterSelector: FleetPartitionTests.Selector("p", "1")),
            new FleetPartitionDefinition("two", ClusterSelector: FleetPartitionTests.Selector("p", "2")),
            new FleetPartitionDefinition("three", ClusterSelector: FleetPartitionTests.Selector("p", "3")),
        ]);
        List<FleetTarget> targets =
        [
            FleetTargets.Labelled("a1", ("p", "1")), FleetTargets.Labelled("a2", ("p", "1")),
            FleetTargets.Labelled("b1", ("p", "2")), FleetTargets.Labelled("b2", ("p", "2")),
            FleetTargets.Labelled("c1", ("p", "3")),
        ];

        var result = Pass(targets, strategy);

        // Bundle budget limit(5, 1) = 1 is spent on a1; "one" and "two" are unavailable partitions, 2 > 1 ⇒ break before "three".
        Assert.Equal(["a1"], result.Promoted);
        Assert.Equal(["a1", "a2", "b1", "b2"], result.Staged);
        Assert.Equal([true, true, false], result.Partitions.Select(p => p.Reached));
    }

    [Fact]
    public void Run_ClusterInTwoManualPartitions_IsCreatedOnceAndCountedInBoth()
    {
        var strategy = new FleetRolloutStrategy(Partitions:
        [
            new FleetPartitionDefinition("canary", ClusterSelector: FleetPartitionTests.Selector("ring", "canary")),
            new FleetPartitionDefinition("all", ClusterSelector: new()),
        ]);
        List<FleetTarget> targets =
        [
            new("a", new Dictionary<string, string> { ["ring"] = "canary" }),
            new("b", FleetTargets.NoLabels),
        ];

        var result = Pass(targets, strategy);

        Assert.Equal(["a", "b"], result.Created);
        Assert.Equal(["a"], result.Partitions[0].Clusters);
        Assert.Equal(["a", "b"], result.Partitions[1].Clusters);
        Assert.Equal(3, result.Partitions.Sum(p => p.Count));
    }

    [Fact]
    public void Run_ClustersOutsideEveryManualPartition_NeverGetABundleDeployment()
    {
        var strategy = new FleetRolloutStrategy(Partitions:
            [new FleetPartitionDefinition("canary", ClusterSelector: FleetPartitionTests.Selector("ring", "canary"))]);
        List<FleetTarget> targets = [new("a", new Dictionary<string, string> { ["ring"] = "canary" }), new("b", FleetTargets.NoLabels)];

        var result = Pass(targets, strategy);
        var again = Pass(FleetTargets.AfterAgents(targets, result), strategy);

        Assert.Equal(["a"], result.Created);
        Assert.False(again.Deployments.ContainsKey("b"));
        Assert.True(again.BlockedThisReconcile);
        Assert.Equal(1, again.BundleStatus!.Summary.Pending);
    }

    [Fact]
    public void Run_InvalidPartitionMaxUnavailable_ReturnsFleetsErrorAndChangesNothing()
    {
        var strategy = new FleetRolloutStrategy(Partitions: [new FleetPartitionDefinition("p", MaxUnavailable: "lots", ClusterSelector: new())]);
        var targets = FleetTargets.SettledOld(2);

        var result = Pass(targets, strategy);

        Assert.Equal("invalid maxUnavailable, must be int or percentage (ending with %): lots", result.Error);
        Assert.Null(result.BundleStatus);
        Assert.Equal(targets.Select(t => t.Deployment), result.Deployments.Values);
    }

    [Fact]
    public void Run_Targets_AreSortedByOrdinalNameAsGoSortsStrings()
    {
        List<FleetTarget> targets = [new("c-2", FleetTargets.NoLabels), new("c-10", FleetTargets.NoLabels), new("C-3", FleetTargets.NoLabels), new("c-1", FleetTargets.NoLabels)];

        var result = Pass(targets);

        Assert.Equal(["C-3", "c-1", "c-10", "c-2"], result.Partitions[0].Clusters);
    }

    [Fact]
    public void Run_PerTargetDeploymentID_StagesEachTargetsOwnID()
    {
        List<FleetTarget> targets = [.. FleetTargets.SettledOld(1), new FleetTarget("custom", FleetTargets.NoLabels,
            Deployment: FleetBundleDeployment.Settled("old"), DeploymentID: "new-custom")];

        var result = Pass(targets);

        Assert.Equal("new", result.Deployments["c-1"].DeploymentID);
        Assert.Equal("new-custom", result.Deployments["custom"].DeploymentID);
    }

    [Fact]
    public void Run_TargetAlreadyOnNewID_IsNotBlockedAndNotPromoted()
    {
        var result = Pass(FleetTargets.Many(3, FleetBundleDeployment.Settled("new")));

        Assert.Empty(result.Promoted);
        Assert.Empty(result.Staged);
        Assert.False(result.BlockedThisReconcile);
        Assert.Equal(("", "3/3"), (result.BundleStatus!.DisplayState, result.BundleStatus.ReadyClusters));
    }
}
