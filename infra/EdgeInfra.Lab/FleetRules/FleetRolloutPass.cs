using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>One Fleet bundle reconcile pass (<c>resetStatus</c> + <c>UpdatePartitions</c>): creates, stages and promotes
/// BundleDeployments partition by partition, within the budgets, and computes the Bundle status.</summary>
/// <remarks>Pure: the input is not changed; the result carries every target's BundleDeployment after the pass.
/// Linear in the number of targets (times the number of manual partitions) after one ordinal sort by name.</remarks>
public static class FleetRolloutPass
{
    public static RolloutPassResult Run(RolloutPassInput input)
    {
        var targets = Sorted(input);
        try
        {
            return RunSorted(input, targets);
        }
        catch (FleetReconcileException ex)
        {
            var unchanged = new Dictionary<string, FleetBundleDeployment>(targets.Length, StringComparer.Ordinal);
            foreach (var t in targets)
                if (t.Target.Deployment is { } bd) unchanged[t.Target.Name] = bd;
            return new RolloutPassResult(ex.Message, [], [], [], [], false, null, unchanged);
        }
    }

    private sealed class Work(FleetTarget target, string deploymentID)
    {
        public FleetTarget Target { get; } = target;
        public string DeploymentID { get; } = deploymentID;

        /// <summary>The state the summaries count, as read at the start of the pass.</summary>
        public FleetBundleState EffectiveState { get; } = FleetStates.EffectiveStateOf(target.Deployment, deploymentID);
        public FleetBundleDeployment? Deployment { get; set; } = target.Deployment;
        public bool Created { get; set; }
        public bool Staged { get; set; }
        public bool Promoted { get; set; }
        public bool Paused { get; init; }

        /// <summary>Fleet's <c>upToDate</c>: all three IDs equal this target's new ID.</summary>
        public bool UpToDate => Deployment is { } bd && bd.StagedDeploymentID == DeploymentID &&
                                bd.DeploymentID == DeploymentID && bd.AppliedDeploymentID == DeploymentID;

        public bool Unavailable => Deployment?.IsUnavailable ?? false;
    }

    private static Work[] Sorted(RolloutPassInput input)
    {
        var work = new Work[input.Targets.Count];
        for (var i = 0; i < work.Length; i++)
        {
            var t = input.Targets[i];
            work[i] = new Work(t, t.DeploymentID ?? input.NewDeploymentID) { Paused = t.Paused || input.BundlePaused };
        }
        var keys = new string[work.Length];
        for (var i = 0; i < work.Length; i++) keys[i] = work[i].Target.Name;
        var sorted = true;
        for (var i = 1; i < keys.Length && sorted; i++) sorted = string.CompareOrdinal(keys[i - 1], keys[i]) <= 0;
        if (!sorted) Array.Sort(keys, work, StringComparer.Ordinal);
        for (var i = 1; i < keys.Length; i++)
            if (string.Equals(keys[i - 1], keys[i], StringComparison.Ordinal))
                throw new ArgumentException($"cluster '{keys[i]}' is listed twice among the bundle's targets", nameof(input));
        return work;
    }

    private static RolloutPassResult RunSorted(RolloutPassInput input, Work[] targets)
    {
        var strategy = input.Strategy ?? FleetRolloutStrategy.Default;
        var prefix = input.ClusterNamespace + "/";

        // resetStatus: the summary Fleet writes describes the targets as read at the start of the pass.
        var summary = new FleetSummaryBuilder();
        var bundleUnavailable = 0;
        foreach (var t in targets)
        {
            summary.Add(prefix, t.Target.Name, t.EffectiveState);
            if (t.Unavailable) bundleUnavailable++;
        }
        var bundleMaxUnavailable = FleetLimit.Limit(targets.Length, strategy.MaxUnavailable);

        var layout = FleetPartitioner.Build(strategy, new ClusterView(targets), input.ClusterGroups);

        var partitions = new List<PartitionWork>(layout.Count);
        foreach (var (name, members, definition) in layout)
        {
            var max = definition is null
                ? FleetLimit.Limit(members.Length, strategy.MaxUnavailable)
                : FleetLimit.Limit(members.Length, definition.MaxUnavailable, strategy.MaxUnavailable);
            var partitionSummary = new FleetSummaryBuilder();
            var unavailable = 0;
            foreach (var m in members)
            {
                partitionSummary.Add(prefix, targets[m].Target.Name, targets[m].EffectiveState);
                if (targets[m].Unavailable) unavailable++;
            }
            partitions.Add(new PartitionWork(name, members, max, unavailable, partitionSummary.Build()) { Unavailable = unavailable });
        }

        var maxUnavailablePartitions = FleetLimit.Limit(partitions.Count, strategy.MaxUnavailablePartitions,
            FleetRolloutStrategy.DefaultMaxUnavailablePartitions);
        var maxNew = strategy.MaxNew ?? FleetRolloutStrategy.DefaultMaxNew;

        var created = new List<string>();
        var staged = new List<string>();
        var promoted = new List<string>();
        var newlyCreated = 0;
        var unavailablePartitions = 0;
        foreach (var partition in partitions)
        {
            partition.Reached = true;
            foreach (var m in partition.Members)
            {
                var t = targets[m];
                if (t.Deployment is null && newlyCreated < maxNew)
                {
                    newlyCreated++;
                    t.Deployment = new FleetBundleDeployment();
                    t.Created = true;
                    created.Add(t.Target.Name);
                }
                if (t.Deployment is { } bd && bd.StagedDeploymentID != t.DeploymentID)
                {
                    t.Deployment = bd with { StagedDeploymentID = t.DeploymentID };
                    if (!t.Staged) staged.Add(t.Target.Name);
                    t.Staged = true;
                }
            }

            foreach (var m in partition.Members)
            {
                var t = targets[m];
                if (t.Deployment is not { } bd || t.Paused || bd.StagedDeploymentID.Length == 0 ||
                    bd.DeploymentID == bd.StagedDeploymentID)
                    continue;
                var wasUnavailable = bd.IsUnavailable;
                if ((bundleUnavailable < bundleMaxUnavailable || wasUnavailable) &&
                    (partition.Unavailable < partition.MaxUnavailable || wasUnavailable))
                {
                    if (!wasUnavailable)
                    {
                        // "Upgrading" counts as unavailable for the rest of the pass.
                        bundleUnavailable++;
                        partition.Unavailable++;
                    }
                    t.Deployment = bd with { DeploymentID = bd.StagedDeploymentID };
                    if (!t.Promoted) promoted.Add(t.Target.Name);
                    t.Promoted = true;
                }
            }

            // updatePartitionStatus: stricter than availability, a target must also be up to date.
            var stillUnavailable = 0;
            foreach (var m in partition.Members)
                if (!targets[m].UpToDate || targets[m].Unavailable) stillUnavailable++;
            partition.Unavailable = stillUnavailable;
            if (stillUnavailable > partition.MaxUnavailable) unavailablePartitions++;
            if (unavailablePartitions > maxUnavailablePartitions) break;
        }

        var deployments = new Dictionary<string, FleetBundleDeployment>(targets.Length, StringComparer.Ordinal);
        var behind = false;
        foreach (var t in targets)
        {
            if (t.Deployment is { } bd) deployments[t.Target.Name] = bd;
            if (t.Deployment?.DeploymentID != t.DeploymentID) behind = true;
        }

        var results = new FleetPartitionResult[partitions.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var p = partitions[i];
            var names = new string[p.Members.Length];
            for (var j = 0; j < names.Length; j++) names[j] = targets[p.Members[j]].Target.Name;
            results[i] = new FleetPartitionResult(p.Name, names, p.MaxUnavailable, p.WrittenUnavailable, p.Summary, p.Reached, p.Unavailable);
        }

        var status = new FleetBundleStatus(summary.Build(), bundleUnavailable, bundleMaxUnavailable, unavailablePartitions,
            maxUnavailablePartitions, newlyCreated) { MaxNew = maxNew };
        return new RolloutPassResult(null, results, created, staged, promoted, promoted.Count == 0 && behind, status, deployments);
    }

    /// <summary>The sorted targets as the partitioner reads them, a FleetCluster made only when one is asked for.</summary>
    private sealed class ClusterView(Work[] targets) : IReadOnlyList<FleetCluster>
    {
        public FleetCluster this[int index] => new(targets[index].Target.Name, targets[index].Target.Labels);

        public int Count => targets.Length;

        public IEnumerator<FleetCluster> GetEnumerator()
        {
            for (var i = 0; i < targets.Length; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class PartitionWork(string name, int[] members, int maxUnavailable, int writtenUnavailable, FleetBundleSummary summary)
    {
        public int WrittenUnavailable { get; } = writtenUnavailable;
        public string Name { get; } = name;
        public int[] Members { get; } = members;
        public int MaxUnavailable { get; } = maxUnavailable;
        public FleetBundleSummary Summary { get; } = summary;
        public int Unavailable { get; set; }
        public bool Reached { get; set; }
    }
}
