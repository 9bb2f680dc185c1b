using System.Text.Json;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.Hub;

/// <summary>Writes <c>GET /lab/stats</c>: virtual now, WAN bytes per region, mirror bytes per zone, apply times per bundle and each apply.</summary>
internal static class LabStatsJson
{
    public static void Write(Utf8JsonWriter w, FleetSimulation sim)
    {
        var s = sim.State;
        w.WriteStartObject();
        w.WriteString("now", KubeJsonWriter.Time(s.Now));
        w.WriteStartObject("wanBytesByRegion");
        foreach (var (k, v) in s.WanBytesByRegion) w.WriteNumber(k, v);
        w.WriteEndObject();
        w.WriteStartObject("mirrorBytesByZone");
        foreach (var (k, v) in s.MirrorBytesByZone) w.WriteNumber(k, v);
        w.WriteEndObject();
        w.WriteStartObject("applySecondsByBundle");
        foreach (var g in s.Applies.Where(a => a.Duration is not null).GroupBy(a => a.Bundle).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var seconds = g.Select(a => a.Duration!.Value.TotalSeconds).Order().ToList();
            w.WriteStartObject(g.Key);
            w.WriteNumber("count", seconds.Count);
            w.WriteNumber("p50", Math.Round(seconds[seconds.Count / 2], 1));
            w.WriteNumber("max", Math.Round(seconds[^1], 1));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartArray("applies");
        foreach (var a in s.Applies)
        {
            w.WriteStartObject();
            w.WriteString("cluster", a.Cluster);
            w.WriteString("bundle", a.Bundle);
            w.WriteString("app", a.App);
            w.WriteString("version", a.Version);
            w.WriteString("region", a.Region);
            w.WriteString("promotedAt", KubeJsonWriter.Time(a.PromotedAt));
            if (a.ReadyAt is { } ready) w.WriteString("readyAt", KubeJsonWriter.Time(ready));
            if (a.Duration is { } d) w.WriteNumber("seconds", Math.Round(d.TotalSeconds, 1));
            w.WriteNumber("pulledBytes", a.PulledBytes);
            w.WriteNumber("wanBytes", a.WanBytes);
            w.WriteString("outcome", a.Outcome);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("events", s.EventLog.Count);
        w.WriteEndObject();
    }
}
