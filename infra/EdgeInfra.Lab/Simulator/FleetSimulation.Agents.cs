using EdgeInfra.Components.Model;
using EdgeInfra.Lab.Config;

namespace EdgeInfra.Lab.Simulator;

internal sealed partial class FleetSimulation
{
    private const double Spread = 0.2;

    private void Register(string key)
    {
        if (!State.Clusters.TryGetValue(key, out var c) || c.RegisteredAt is not null) return;
        c.RegisteredAt = State.Now;
        c.ResourceVersion = NextResourceVersion();
        Log("agent-registered", key);
        ResumeAgent(c);
    }

    private void OfflineStart(string key)
    {
        if (!State.Clusters.TryGetValue(key, out var c) || c.Offline) return;
        c.Offline = true;
        c.ResourceVersion = NextResourceVersion();
        Log("agent-offline", key);
        // Whatever the agent was doing stops (its pending steps go stale); it starts the apply over when it is back.
        foreach (var bd in DeploymentsOf(c))
            if (bd.ApplyRecord >= 0) bd.Attempt++;
    }

    private void OfflineEnd(string key)
    {
        if (!State.Clusters.TryGetValue(key, out var c) || !c.Offline) return;
        c.Offline = false;
        c.ResourceVersion = NextResourceVersion();
        Log("agent-online", key);
        ResumeAgent(c);
    }

    /// <summary>An agent that (re)connects applies every BundleDeployment whose deployment it has not applied yet.</summary>
    private void ResumeAgent(SimCluster c)
    {
        foreach (var bd in DeploymentsOf(c))
        {
            if (bd.DeploymentId.Length == 0 || (bd.AppliedDeploymentId == bd.DeploymentId && bd.Deployed != false)) continue;
            if (bd.ApplyRecord >= 0) SchedulePickup(bd); // promoted while the agent was away
            else StartApply(bd, c);
        }
    }

    /// <summary>The cluster's BundleDeployments: one per bundle at most, keyed by the cluster namespace and bundle name.</summary>
    private List<SimBundleDeployment> DeploymentsOf(SimCluster c)
    {
        var result = new List<SimBundleDeployment>();
        foreach (var b in State.Bundles.Values)
            if (State.BundleDeployments.TryGetValue(c.StatusNamespace + "/" + b.Name, out var bd)) result.Add(bd);
        return result;
    }

    /// <summary>The agent sees a new <c>spec.deploymentID</c>: after a short reaction it pulls, applies, then waits for Ready.</summary>
    private void StartApply(SimBundleDeployment bd, SimCluster c)
    {
        bd.Attempt++;
        if (bd.ApplyRecord >= 0) Finish(bd, "cancelled");
        var info = State.Deployments.GetValueOrDefault(bd.DeploymentId);
        State.Applies.Add(new ApplyRecord(c.Name, bd.BundleName, info?.App ?? bd.BundleName, info?.Version ?? "", c.Labels.GetValueOrDefault(StoreLabels.Region) ?? "",
            bd.DeploymentId, State.Now, null, null, null, null, 0, 0, true, "applying"));
        bd.ApplyRecord = State.Applies.Count - 1;
        if (c.RegisteredAt is null || c.Offline) return; // picked up when the agent is back
        SchedulePickup(bd);
    }

    private void SchedulePickup(SimBundleDeployment bd)
    {
        bd.Attempt++;
        var reaction = DeterministicRandom.Jitter(_setup.Seed, _setup.Settings.Agents.Jitter, "pickup", bd.Key, bd.Attempt);
        State.Queue.Schedule(State.Now + reaction, SimEventKind.AgentPickup, bd.Key, bd.Attempt);
    }

    private void AgentStep(SimEvent e)
    {
        if (!State.BundleDeployments.TryGetValue(e.Subject, out var bd) || bd.Attempt != e.Attempt) return;
        if (!State.Clusters.TryGetValue(bd.ClusterKey, out var c) || c.Offline) return;
        var info = State.Deployments.GetValueOrDefault(bd.DeploymentId);
        var timings = _setup.Settings.Agents;
        switch (e.Kind)
        {
            case SimEventKind.AgentPickup:
                var (pull, bytes, wan) = PullTime(c, info);
                Update(bd, r => r with { StartedAt = State.Now, PulledBytes = bytes, WanBytes = wan, MirrorHit = wan == 0 });
                Log("agent-pull", bd.Key, $"{bytes} bytes, {(wan == 0 ? "mirror" : "WAN")}, {pull.TotalSeconds:0.#}s");
                State.Queue.Schedule(State.Now + pull, SimEventKind.PullDone, bd.Key, bd.Attempt);
                break;
            case SimEventKind.PullDone:
                if (info is not null)
                    foreach (var image in info.Images) c.Images.Add(image);
                ChargePull(c, bd);
                Update(bd, r => r with { PulledAt = State.Now });
                State.Queue.Schedule(State.Now + DeterministicRandom.Around(_setup.Seed, timings.ApplyTime, Spread, "apply", bd.Key, bd.Attempt),
                    SimEventKind.Applied, bd.Key, bd.Attempt);
                break;
            case SimEventKind.Applied:
                var fault = FaultFor(c, info);
                if (fault?.Effect == FaultEffect.ErrApplied)
                {
                    bd.Deployed = false;
                    bd.DeployedMessage = $"error applying {info?.App} {info?.Version}: injected fault (scenario '{_setup.Scenario.Name}')";
                    StatusChanged(bd, "bd-errapplied");
                    Finish(bd, "errApplied");
                    break;
                }
                bd.AppliedDeploymentId = bd.DeploymentId;
                bd.Deployed = true;
                bd.DeployedMessage = "";
                bd.Ready = false;
                bd.NonModified = true;
                bd.RunningSince = State.Now;
                Update(bd, r => r with { AppliedAt = State.Now });
                StatusChanged(bd, "bd-applied");
                if (fault?.Effect == FaultEffect.NotReady)
                {
                    Finish(bd, "notReady");
                    break;
                }
                State.Queue.Schedule(State.Now + DeterministicRandom.Around(_setup.Seed, timings.ReadyTime, Spread, "ready", bd.Key, bd.Attempt),
                    SimEventKind.BecameReady, bd.Key, bd.Attempt);
                break;
            case SimEventKind.BecameReady:
                bd.Ready = true;
                Update(bd, r => r with { ReadyAt = State.Now });
                StatusChanged(bd, "bd-ready");
                Finish(bd, "ready");
                break;
        }
    }

    private void StatusChanged(SimBundleDeployment bd, string kind)
    {
        bd.StatusChanged = State.Now;
        bd.ResourceVersion = NextResourceVersion();
        Log(kind, bd.Key, bd.DeploymentId);
        if (State.Bundles.TryGetValue(bd.BundleKey, out var b)) ScheduleReconcile(b);
    }

    private void Update(SimBundleDeployment bd, Func<ApplyRecord, ApplyRecord> change)
    {
        if (bd.ApplyRecord >= 0) State.Applies[bd.ApplyRecord] = change(State.Applies[bd.ApplyRecord]);
    }

    private void Finish(SimBundleDeployment bd, string outcome)
    {
        Update(bd, r => r with { Outcome = outcome });
        bd.ApplyRecord = -1;
    }

    /// <summary>The active scenario's first fault for this store running this release; null when it is healthy.</summary>
    internal FaultSpec? FaultFor(SimCluster c, DeploymentInfo? info) =>
        info is null ? null : _setup.Scenario.Faults.FirstOrDefault(f => f.Matches(info.App, info.Version, c.Labels));

    /// <summary>How long the store takes to pull the images it lacks, how many bytes, and how many of them cross the WAN.</summary>
    private (TimeSpan Time, long Bytes, long WanBytes) PullTime(SimCluster c, DeploymentInfo? info)
    {
        if (info is null) return (TimeSpan.Zero, 0, 0);
        var s = _setup.Settings;
        var mbps = c.Labels.TryGetValue(StoreLabels.NetworkTier, out var tier) && s.NetworkTierMbps.TryGetValue(tier, out var t) ? t : s.DefaultMbps;
        double seconds = 0;
        long bytes = 0, wan = 0;
        foreach (var image in info.Images)
        {
            if (c.Images.Contains(image)) continue;
            var size = (long)(ImageSizeMb(info.App, image) * 1_000_000);
            var hit = MirrorHas(c, info, image);
            bytes += size;
            if (!hit) wan += size;
            seconds += size * 8 / (mbps * 1_000_000) * (hit ? 1 : s.Agents.WanPenalty);
        }
        return (TimeSpan.FromSeconds(seconds), bytes, wan);
    }

    private void ChargePull(SimCluster c, SimBundleDeployment bd)
    {
        if (bd.ApplyRecord < 0) return;
        var r = State.Applies[bd.ApplyRecord];
        if (r.WanBytes > 0)
        {
            var region = c.Labels.GetValueOrDefault(StoreLabels.Region) ?? "unknown";
            State.WanBytesByRegion[region] = State.WanBytesByRegion.GetValueOrDefault(region) + r.WanBytes;
        }
        if (r.PulledBytes - r.WanBytes > 0 && c.Labels.GetValueOrDefault(StoreLabels.RegistryZone) is { } zone)
            State.MirrorBytesByZone[zone] = State.MirrorBytesByZone.GetValueOrDefault(zone) + r.PulledBytes - r.WanBytes;
    }

    private double ImageSizeMb(string app, string image)
    {
        var sizes = _setup.Settings.ImageSizeMb;
        var repository = image.Contains(':') ? image[..image.LastIndexOf(':')] : image;
        return sizes.TryGetValue(app, out var a) ? a : sizes.TryGetValue(repository, out var r) ? r : _setup.Settings.DefaultImageSizeMb;
    }

    private bool MirrorHas(SimCluster c, DeploymentInfo info, string image)
    {
        if (!c.Labels.TryGetValue(StoreLabels.RegistryZone, out var zone)) return false;
        if (_setup.MirrorZones is { } zones && !zones.Contains(zone)) return false;
        return !_setup.Settings.MirrorMisses.Any(m => m.Matches(zone, info.App, info.Version));
    }
}
