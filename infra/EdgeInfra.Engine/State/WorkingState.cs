using System.Collections.Immutable;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>A mutable copy of a stack's state while a journal is replayed or an update runs.</summary>
internal sealed class WorkingState
{
    private readonly Dictionary<Urn, ResourceState> _byUrn;
    private readonly List<Urn> _order;

    public WorkingState(StackSnapshot snapshot)
    {
        Stack = snapshot.Stack;
        _byUrn = new Dictionary<Urn, ResourceState>(snapshot.Resources.Count);
        _order = new List<Urn>(snapshot.Resources.Count);
        foreach (var r in snapshot.Resources) Upsert(r);
        foreach (var p in snapshot.PendingOperations) Pending[p.Resource.Urn] = p;
        Outputs = snapshot.Outputs;
        Time = snapshot.Time;
    }

    public string Stack { get; }
    public Dictionary<Urn, PendingOperation> Pending { get; } = [];
    public ImmutableSortedDictionary<string, string> Outputs { get; set; }
    public DateTimeOffset? Time { get; set; }
    public IReadOnlyDictionary<Urn, ResourceState> ByUrn => _byUrn;

    public void Upsert(ResourceState r)
    {
        if (!_byUrn.ContainsKey(r.Urn)) _order.Add(r.Urn);
        _byUrn[r.Urn] = r;
    }

    public void Remove(Urn urn) => _byUrn.Remove(urn);

    /// <summary>The state as an immutable snapshot, in topological order.</summary>
    public StackSnapshot ToSnapshot(IEnumerable<Urn>? preferredOrder = null)
    {
        var seen = new HashSet<Urn>(_byUrn.Count);
        var ordered = new List<ResourceState>(_byUrn.Count);
        foreach (var u in (preferredOrder ?? []).Concat(_order))
            if (_byUrn.TryGetValue(u, out var r) && seen.Add(u)) ordered.Add(r);
        return new StackSnapshot(Stack, StateOrder.Topological(ordered), [.. Pending.Values], Outputs, Time);
    }
}
