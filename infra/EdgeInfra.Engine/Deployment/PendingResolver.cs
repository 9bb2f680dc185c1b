using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Deployment;

/// <summary>Resolves the pending operations an interrupted run left behind, without asking a human.</summary>
/// <remarks>
/// Each is settled by reading the live resource: if it exists it is adopted with its live inputs and outputs (the
/// next plan corrects any difference), otherwise the operation is dropped (and a resource it would have deleted is
/// removed from state). A pending move whose source stack still owns the resource is simply dropped.
/// </remarks>
internal static class PendingResolver
{
    public static async Task<int> ResolveAsync(WorkingState state, IStateWriter writer, IStateBackend backend,
        IReadOnlyDictionary<string, IResourceProvider> providers, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        var resolved = 0;
        foreach (var p in state.Pending.Values.ToList())
        {
            var urn = p.Resource.Urn;
            string outcome;
            if (p.Kind == PendingKind.Moving && p.FromStack is not null && p.Old is not null &&
                (await backend.LoadAsync(p.FromStack, ct)).ByUrn.ContainsKey(p.Old.Urn))
            {
                writer.Resolved(urn);
                state.Pending.Remove(urn);
                outcome = $"dropped: {p.FromStack} still owns it";
            }
            else if (!p.Resource.Custom)
            {
                if (p.Kind == PendingKind.Deleting) Remove(state, writer, urn);
                else Adopt(state, writer, p.Resource);
                outcome = p.Kind == PendingKind.Deleting ? "removed" : "adopted";
            }
            else
            {
                var provider = p.Resource.Provider is { } name && providers.TryGetValue(name, out var found) ? found
                    : throw new InputException($"{urn}: cannot resolve the interrupted {p.PulumiType} operation: unknown provider '{p.Resource.Provider}'");
                var probe = p.Kind == PendingKind.Deleting ? p.Old ?? p.Resource : p.Resource with { Id = p.Resource.Id ?? p.Old?.Id };
                ProviderResult? live;
                try
                {
                    live = await provider.ReadAsync(probe, ct);
                    if (live is null && p.Kind == PendingKind.Replacing && p.Old is not null)
                    {
                        probe = p.Old;
                        live = await provider.ReadAsync(p.Old, ct);
                    }
                }
                catch (ResourceUnavailableException e)
                {
                    // Its target (e.g. a store device) is unreachable now: the operation stays pending for a later run,
                    // and this run goes on with everything else (a step on it fails on its own if planned).
                    progress?.Report(new StepEvent(StepEventKind.PendingResolved, urn, null, p.Resource.Provider,
                        $"interrupted {p.Kind.ToString().ToLowerInvariant()}: left pending ({e.Message})"));
                    continue;
                }
                if (live is null)
                {
                    Remove(state, writer, urn);
                    outcome = "not found, dropped";
                }
                else
                {
                    Adopt(state, writer, probe with { Id = live.Id, Inputs = live.Inputs, Outputs = live.Outputs });
                    outcome = "exists, adopted";
                }
            }
            resolved++;
            progress?.Report(new StepEvent(StepEventKind.PendingResolved, urn, null, p.Resource.Provider,
                $"interrupted {p.Kind.ToString().ToLowerInvariant()}: {outcome}"));
        }
        return resolved;
    }

    private static void Adopt(WorkingState state, IStateWriter writer, ResourceState r)
    {
        writer.Done(r);
        state.Upsert(r);
        state.Pending.Remove(r.Urn);
    }

    private static void Remove(WorkingState state, IStateWriter writer, EdgeInfra.Engine.Resources.Urn urn)
    {
        writer.Removed(urn, "pending operation resolved: not found");
        state.Remove(urn);
        state.Pending.Remove(urn);
    }
}
