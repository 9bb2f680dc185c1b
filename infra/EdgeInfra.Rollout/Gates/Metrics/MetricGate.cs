using System.Globalization;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Status;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Rollout.Gates.Metrics;

/// <summary>One metric health gate over a ring: success rate, error rate or p99 latency per store and aggregated per
/// ring, with a minimum-volume guard; or a raw PromQL expression compared with a threshold.</summary>
/// <remarks>
/// A breach by the ring, or by any online store with enough requests, is Failed (naming the stores). Otherwise missing
/// data is Inconclusive: an unreachable source, NaN, a ring below the minimum volume, or (per-store scope only) no store
/// with enough requests. Offline stores are not judged. When the gate names an app the ring rolls out, only that app's
/// new version is measured. A raw query may use <c>$ring</c> for the ring's name.
/// </remarks>
public sealed class MetricGate(MetricGateSpec spec, IMetricsSource source) : IGate
{
    public string Name => $"metrics:{spec.Name}";

    public MetricGateSpec Spec => spec;

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) =>
        spec.Kind == MetricKind.PromQl ? EvaluateRawAsync(context, cancellationToken) : EvaluateStructuredAsync(context, cancellationToken);

    private async Task<GateResult> EvaluateRawAsync(GateContext context, CancellationToken cancellationToken)
    {
        var query = spec.Query!.Replace("$ring", context.Ring.Name, StringComparison.Ordinal);
        var reading = await source.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (reading.Error is { } error) return GateResult.Inconclusive(Name, error);
        if (reading.Values.Count == 0) return GateResult.Inconclusive(Name, $"no data for {query}");
        var nan = reading.Values.Where(v => double.IsNaN(v.Value)).Select(v => v.Key).ToList();
        var breaching = reading.Values.Where(v => !double.IsNaN(v.Value) && !spec.Passes(v.Value)).ToList();
        if (breaching.Count > 0)
            return GateResult.Failed(Name, $"{Describe(breaching)}: not {Op} {Format(spec.Threshold)}",
                [.. breaching.Select(b => b.Key).Where(k => k.Length > 0)]);
        if (nan.Count > 0) return GateResult.Inconclusive(Name, $"NaN for {nan.Count} series of {query}", [.. nan.Where(k => k.Length > 0)]);
        return GateResult.Successful(Name, $"{Describe(reading.Values)} {Op} {Format(spec.Threshold)}");
    }

    private async Task<GateResult> EvaluateStructuredAsync(GateContext context, CancellationToken cancellationToken)
    {
        var ring = context.Ring.Name;
        var version = spec.App is { } app ? context.Releases.GetValueOrDefault(app) : null;
        var measure = spec.Kind switch
        {
            MetricKind.SuccessRate => MetricMeasure.SuccessRatio,
            MetricKind.ErrorRate => MetricMeasure.ErrorRatio,
            _ => MetricMeasure.LatencyP99,
        };
        // An app gate judges that app's new version; an unscoped gate judges every app of the release at its new version.
        if (spec.App is { } gated && version is null)
            return GateResult.Inconclusive(Name, $"app {gated} is not part of the release {string.Join(",", context.Releases.Select(r => $"{r.Key}={r.Value}"))}");
        IReadOnlyDictionary<string, string> releases = spec.App is null ? context.Releases : new Dictionary<string, string> { [spec.App] = version! };
        MetricQuery Q(MetricMeasure m, MetricGrouping g) => new(m, ring, g, spec.Window, releases);
        var what = spec.App is null ? $"ring {ring}" : $"ring {ring} {spec.App}{(version is null ? "" : " " + version)}";

        var failures = new List<string>();
        var failedStores = new List<string>();
        var inconclusive = new List<string>();
        var notes = new List<string>();

        if (spec.Scope is MetricScope.Ring or MetricScope.Both)
        {
            var volume = await source.MeasureAsync(Q(MetricMeasure.RequestCount, MetricGrouping.Ring), cancellationToken).ConfigureAwait(false);
            var value = volume.Error is null
                ? await source.MeasureAsync(Q(measure, MetricGrouping.Ring), cancellationToken).ConfigureAwait(false)
                : volume;
            if (value.Error is { } error) return GateResult.Inconclusive(Name, error);
            var requests = volume.Values.GetValueOrDefault(ring, double.NaN);
            var v = value.Values.GetValueOrDefault(ring, double.NaN);
            if (double.IsNaN(requests) || double.IsNaN(v)) inconclusive.Add($"no data for {what} in the last {Window}");
            else if (requests < spec.MinRequests) inconclusive.Add($"{what}: {requests:0} requests in {Window}, below the minimum {spec.MinRequests:0}");
            else if (!spec.Passes(v)) failures.Add($"{what} {Format(v)} {Not} {Format(spec.Threshold)}");
            else notes.Add($"{what} {Format(v)} {Op} {Format(spec.Threshold)}");
        }

        if (spec.Scope is MetricScope.Store or MetricScope.Both)
        {
            var volume = await source.MeasureAsync(Q(MetricMeasure.RequestCount, MetricGrouping.Store), cancellationToken).ConfigureAwait(false);
            var value = volume.Error is null
                ? await source.MeasureAsync(Q(measure, MetricGrouping.Store), cancellationToken).ConfigureAwait(false)
                : volume;
            if (value.Error is { } error) return GateResult.Inconclusive(Name, error);
            var judged = 0;
            var lowVolume = 0;
            var noData = new List<string>();
            foreach (var store in context.Stores)
            {
                if (context.Statuses.TryGetValue(store.Id, out var status) && status.State == StoreState.Offline) continue;
                var requests = volume.Values.GetValueOrDefault(store.Id, double.NaN);
                if (double.IsNaN(requests) || requests < spec.MinRequests) { lowVolume++; continue; }
                var v = value.Values.GetValueOrDefault(store.Id, double.NaN);
                if (double.IsNaN(v)) { noData.Add(store.Id); continue; }
                judged++;
                if (!spec.Passes(v))
                {
                    failedStores.Add(store.Id);
                    if (failedStores.Count <= 5) failures.Add($"store {store.Id} {Format(v)} {Not} {Format(spec.Threshold)}");
                }
            }
            if (failedStores.Count > 5) failures.Add($"and {failedStores.Count - 5} more stores");
            if (noData.Count > 0) inconclusive.Add($"NaN for {noData.Count} stores with traffic");
            if (judged == 0 && spec.Scope == MetricScope.Store)
                inconclusive.Add($"no online store of ring {ring} served {spec.MinRequests:0} requests in {Window}");
            notes.Add($"{judged} stores judged" + (lowVolume > 0 ? $", {lowVolume} below {spec.MinRequests:0} requests not judged" : ""));
        }

        if (failures.Count > 0) return GateResult.Failed(Name, string.Join("; ", failures), failedStores);
        if (inconclusive.Count > 0)
        {
            // While stores wait paused for their window, few have the change: too little traffic is expected, not a
            // reason to hold (the ring's hold timeout would run out long before the last window opens).
            var waitingForWindows = context.HeldBack.Count(h => h.Value == CatchUpCause.Window);
            return waitingForWindows > 0
                ? GateResult.Waiting(Name, string.Join("; ", inconclusive.Concat(notes)) + $"; {waitingForWindows} store(s) still wait for their window")
                : GateResult.Inconclusive(Name, string.Join("; ", inconclusive.Concat(notes)));
        }
        return GateResult.Successful(Name, string.Join("; ", notes));
    }

    private string Window => PromQlCompiler.Range(spec.Window);
    private string Op => spec.Comparison == MetricComparison.AtLeast ? ">=" : "<=";
    private string Not => spec.Comparison == MetricComparison.AtLeast ? "<" : ">";

    private string Format(double value) => spec.Kind switch
    {
        MetricKind.SuccessRate or MetricKind.ErrorRate => (value * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%",
        MetricKind.LatencyP99 => (value * 1000).ToString("0", CultureInfo.InvariantCulture) + "ms",
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    private string Describe(IEnumerable<KeyValuePair<string, double>> values)
    {
        var list = values.Take(5).Select(v => v.Key.Length > 0 ? $"{v.Key}={Format(v.Value)}" : Format(v.Value)).ToList();
        return string.Join(", ", list);
    }
}
