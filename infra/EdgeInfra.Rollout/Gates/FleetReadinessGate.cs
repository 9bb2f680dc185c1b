using System.Globalization;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Rollout.Gates;

/// <summary>The ring's stores are ready on the release, within the ring's <c>maxUnavailable</c> budget; offline stores are
/// excluded from the count (they catch up by policy) and reported separately. A store not registered with the hub yet is
/// pending (not ready) for up to its offline threshold after its Cluster was created, then offline: never failed.</summary>
/// <remarks>
/// The budget is Fleet's own <c>limit()</c> over the online stores (fleet.md §3.2): a percentage is floored but never below
/// 1, an integer is capped at the count, integer 0 is 0. More failed stores than the budget is Failed (the ring rolls
/// back); more not-yet-ready stores than the budget is Inconclusive (the ring holds while Fleet works); otherwise
/// Successful. Drifted stores run the release (Fleet counts Modified as available) and count as ready.
/// </remarks>
public sealed class FleetReadinessGate : IGate
{
    public const string GateName = "fleet-ready";

    public string Name => GateName;

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Evaluate(context));

    private static GateResult Evaluate(GateContext context)
    {
        var stores = context.Stores;
        if (stores.Count == 0) return GateResult.Successful(GateName, $"ring {context.Ring.Name} has no stores");
        var missing = new List<string>();
        var offline = new List<string>();
        var failed = new List<string>();
        var notReady = new List<string>();
        var heldBack = 0;
        foreach (var store in stores)
        {
            if (!context.Statuses.TryGetValue(store.Id, out var status)) { missing.Add(store.Id); continue; }
            // A paused cluster keeps its deployment and is not counted unavailable (Fleet's updateDeploymentFromStaged).
            // A store paused until it registers has no deployment to keep: while it registers it is one the ring still
            // waits for (pending), once silent past its offline threshold it is offline, as its classification says.
            if (status.State is not (StoreState.Offline or StoreState.Failed) &&
                context.HeldBack.TryGetValue(store.Id, out var cause) && cause != Persistence.CatchUpCause.Unregistered) { heldBack++; continue; }
            switch (status.State)
            {
                case StoreState.Offline: offline.Add(store.Id); break;
                case StoreState.Failed: failed.Add(store.Id); break;
                case StoreState.Ready or StoreState.Drifted: break;
                default: notReady.Add(store.Id); break;
            }
        }
        if (missing.Count > 0)
            return GateResult.Inconclusive(GateName, $"no hub status for {missing.Count} of {stores.Count} stores", missing);
        var online = stores.Count - offline.Count - heldBack;
        var offlineNote = (offline.Count > 0 ? $"; {offline.Count} offline excluded" : "") + (heldBack > 0 ? $"; {heldBack} paused (catch-up or window) excluded" : "");
        if (online == 0 && heldBack > 0)
            return GateResult.Successful(GateName, $"no store of ring {context.Ring.Name} takes the change yet{offlineNote}");
        if (online == 0)
            return GateResult.Inconclusive(GateName, $"every store of ring {context.Ring.Name} is offline ({offline.Count})", offline);

        // Paused stores are released within this same budget, so it is taken over them too.
        var budget = Limit(online + heldBack, context.Ring.MaxUnavailable);
        var unavailable = failed.Count + notReady.Count;
        var ready = online - unavailable;
        var summary = $"{ready}/{online} online stores ready, {failed.Count} failed, maxUnavailable {context.Ring.MaxUnavailable} = {budget}{offlineNote}";
        if (failed.Count > budget) return GateResult.Failed(GateName, summary, failed);
        if (unavailable > budget) return GateResult.Inconclusive(GateName, summary, [.. failed, .. notReady]);
        return GateResult.Successful(GateName, summary);
    }

    /// <summary>Fleet's <c>limit(count, maxUnavailable)</c> (fleet.md §3.2).</summary>
    public static int Limit(int count, string maxUnavailable)
    {
        if (count <= 0) return 1;
        var text = maxUnavailable.Trim();
        if (text.EndsWith('%'))
        {
            if (!double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent <= 0) return 1;
            var i = (int)(count * percent) / 100;
            return i <= 0 ? 1 : Math.Min(i, count);
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return count;
        return n > count ? count : Math.Max(0, n);
    }
}
