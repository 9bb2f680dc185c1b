using EdgeInfra.Lab.Config;

namespace EdgeInfra.Lab.Simulator;

/// <summary>When a store's agent is online and when it checks in: offline windows from the schedules, heartbeats with jitter.</summary>
/// <remarks>Heartbeats are computed, not simulated as events: <c>lastSeen</c> at any instant is a pure function of the
/// registration time, the interval, the seed and the offline windows, so 10,000 stores cost nothing between requests.</remarks>
internal sealed class AgentSchedule(ulong seed, AgentTimings timings, IReadOnlyList<OfflineSchedule> schedules, DateTimeOffset labStart)
{
    /// <summary>The windows in which <paramref name="cluster"/> is offline: each schedule picks its share of the matching stores.</summary>
    public List<OfflineWindow> WindowsFor(string cluster, IReadOnlyDictionary<string, string> labels)
    {
        var windows = new List<OfflineWindow>();
        for (var i = 0; i < schedules.Count; i++)
        {
            var s = schedules[i];
            if (!s.Selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)) continue;
            if (DeterministicRandom.Unit(seed, "offline", cluster, i) >= s.Share) continue;
            windows.Add(new OfflineWindow(labStart + s.Start, labStart + s.Start + s.Duration));
        }
        return Merge(windows);
    }

    /// <summary>When the agent's heartbeat last reached the hub at <paramref name="now"/>; null before its first check-in.</summary>
    public DateTimeOffset? LastSeen(SimCluster cluster, DateTimeOffset now)
    {
        if (cluster.RegisteredAt is not { } reg) return null;
        var t = now;
        for (var guard = 0; guard < 10_000; guard++)
        {
            if (t < reg) return null;
            if (Covering(cluster.OfflineWindows, t) is { } w)
            {
                t = w.Start - TimeSpan.FromTicks(1);
                continue;
            }
            DateTimeOffset? best = null;
            var k = (t - reg).Ticks / timings.CheckinInterval.Ticks;
            for (; k >= 0; k--)
            {
                var c = CheckIn(cluster.Name, reg, k);
                if (c <= t)
                {
                    if (Covering(cluster.OfflineWindows, c) is null) best = c;
                    break;
                }
            }
            foreach (var w2 in cluster.OfflineWindows)
            {
                var back = ReturnCheckIn(cluster.Name, w2);
                if (w2.End > reg && back <= t && (best is null || back > best)) best = back;
            }
            if (best is not null) return best;
            // Back from a window but not checked in yet: what the hub saw last is from before that window.
            var before = cluster.OfflineWindows.Where(x => x.Start <= t).Select(x => x.Start).DefaultIfEmpty(reg).Max();
            if (before <= reg) return null;
            t = before - TimeSpan.FromTicks(1);
        }
        return null;
    }

    /// <summary>The k-th periodic check-in after registration (the 0th is the registration itself).</summary>
    private DateTimeOffset CheckIn(string cluster, DateTimeOffset reg, long k) =>
        k == 0 ? reg : reg + TimeSpan.FromTicks(timings.CheckinInterval.Ticks * k) + DeterministicRandom.Jitter(seed, timings.Jitter, "checkin", cluster, k);

    /// <summary>The agent checks in shortly after it comes back.</summary>
    public DateTimeOffset ReturnCheckIn(string cluster, OfflineWindow w) =>
        w.End + DeterministicRandom.Jitter(seed, timings.Jitter, "return", cluster, w.Start.UtcTicks);

    public static OfflineWindow? Covering(List<OfflineWindow> windows, DateTimeOffset t)
    {
        foreach (var w in windows)
            if (w.Contains(t)) return w;
        return null;
    }

    private static List<OfflineWindow> Merge(List<OfflineWindow> windows)
    {
        windows.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<OfflineWindow>();
        foreach (var w in windows)
        {
            if (merged.Count > 0 && w.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = w.End > merged[^1].End ? w.End : merged[^1].End };
            else merged.Add(w);
        }
        return merged;
    }
}
