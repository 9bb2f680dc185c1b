using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Tests.Rollout.Status;

namespace EdgeInfra.Tests.Rollout.Gates;

/// <summary>Gate contexts for one ring of test stores.</summary>
internal static class GateContexts
{
    public static GateContext For(string ring, string maxUnavailable, IEnumerable<string> storeIds,
        IReadOnlyDictionary<string, StoreState>? states = null, IReadOnlyDictionary<string, string>? releases = null)
    {
        var stores = storeIds.Select(id => HubObjects.Store(id, ring)).ToList();
        var spec = HubObjects.Ring(ring, 0, maxUnavailable);
        var model = HubObjects.Model([.. stores]) with { Rings = [spec] };
        var statuses = stores.ToDictionary(s => s.Id,
            s => new StoreStatus(s.Id, ring, states?.GetValueOrDefault(s.Id, StoreState.Ready) ?? StoreState.Ready, HubObjects.Now, null, null, null));
        return new GateContext(model, spec, stores, releases ?? new Dictionary<string, string>(), HubObjects.Now,
            HubObjects.Now - TimeSpan.FromMinutes(10), HubObjects.Now - TimeSpan.FromMinutes(5), statuses);
    }
}
