using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Engine.State;

/// <summary>Orders resources so parents and dependencies come before their dependents (Pulumi's integrity rule).</summary>
internal static class StateOrder
{
    /// <summary>A stable topological order: the given order, with any resource moved after what it depends on.</summary>
    public static List<ResourceState> Topological(IReadOnlyCollection<ResourceState> resources)
    {
        var byUrn = new Dictionary<Urn, ResourceState>(resources.Count);
        foreach (var r in resources) byUrn[r.Urn] = r;
        var result = new List<ResourceState>(resources.Count);
        var state = new Dictionary<Urn, byte>(resources.Count); // 1 = visiting, 2 = done
        var stack = new Stack<(ResourceState R, int Next)>();
        foreach (var start in resources)
        {
            if (state.ContainsKey(start.Urn)) continue;
            stack.Push((start, 0));
            state[start.Urn] = 1;
            while (stack.Count > 0)
            {
                var (r, next) = stack.Pop();
                var edges = r.Dependencies.Length + (r.Parent is null ? 0 : 1);
                var pushed = false;
                while (next < edges)
                {
                    var dep = next < r.Dependencies.Length ? r.Dependencies[next] : r.Parent!.Value;
                    next++;
                    if (state.ContainsKey(dep) || !byUrn.TryGetValue(dep, out var d)) continue; // cycles and strangers: keep order
                    stack.Push((r, next));
                    stack.Push((d, 0));
                    state[dep] = 1;
                    pushed = true;
                    break;
                }
                if (pushed) continue;
                state[r.Urn] = 2;
                result.Add(r);
            }
        }
        return result;
    }
}
