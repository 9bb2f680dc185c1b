using System.Diagnostics;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Deployment;

/// <summary>Applies a plan: move-outs, then creates/updates/moves in dependency order, then deletes in reverse order.</summary>
/// <remarks>
/// Provider steps run with bounded parallelism. Each is journaled <c>pending</c> before the provider is called; its
/// result is journaled <c>done</c> only after the provider's <see cref="IResourceProvider.CompleteAsync"/> returned,
/// so a crash in between leaves pending operations that the next run resolves by reading the live resource.
/// After the first failure no new step starts (unless it is a <see cref="ResourceUnavailableException"/>, which only holds
/// back that resource's dependents); in-flight steps finish and what they did is published and recorded.
/// </remarks>
internal sealed class Deployer(
    IReadOnlyDictionary<string, IResourceProvider> providers,
    IStateWriter writer,
    WorkingState state,
    IReadOnlyDictionary<string, IStateWriter> siblingWriters,
    ChangeDescription change,
    int parallelism,
    IProgress<StepEvent>? progress,
    TimeProvider time)
{
    private readonly Dictionary<string, Task> _begun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(PlanStep Step, ResourceState? Result)>> _completed = new(StringComparer.Ordinal);
    private readonly Dictionary<StepOp, int> _counts = Enum.GetValues<StepOp>().ToDictionary(o => o, _ => 0);
    private readonly List<StepFailure> _failures = [];
    private readonly Dictionary<string, string> _revisions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile bool _failed;

    public IReadOnlyDictionary<StepOp, int> Counts => _counts;
    public IReadOnlyList<StepFailure> Failures => _failures;
    public IReadOnlyDictionary<string, string> Revisions => _revisions;
    public bool Failed => _failed || _failures.Count > 0;

    /// <param name="settled">Providers whose operations an interrupted run left pending and this run settled by
    /// reading: they are asked for their revision at the end even when nothing is staged, so that the history records
    /// where the interrupted run's changes landed (a killed run may have published them before it could say so).</param>
    public async Task RunAsync(Plan plan, CancellationToken ct, IReadOnlyCollection<string>? settled = null)
    {
        foreach (var name in settled ?? [])
            if (providers.TryGetValue(name, out var provider)) _ = Begin(name, provider, ct);
        _counts[StepOp.Same] = plan.Steps.Count(s => s.Op == StepOp.Same);
        foreach (var s in plan.Steps.Where(s => s.Op == StepOp.MoveOut)) MoveOut(s);

        var forward = plan.Steps.Where(s => s.Op is StepOp.Create or StepOp.Update or StepOp.Replace or StepOp.Move ||
                                            (s.Op == StepOp.Same && s.MetadataChanged)).ToList();
        await RunGraphAsync(forward, s => s.New!.Options.DependsOn.Append(s.New.Parent ?? default), reverse: false, ct);
        var deletes = plan.Steps.Where(s => s.Op == StepOp.Delete).ToList();
        if (!_failed) await RunGraphAsync(deletes, s => s.Old!.Dependencies.Append(s.Old.Parent ?? default), reverse: true, ct);
        await CompleteProvidersAsync(ct);
    }

    private async Task RunGraphAsync(List<PlanStep> nodes, Func<PlanStep, IEnumerable<Urn>> dependsOn, bool reverse, CancellationToken ct)
    {
        if (nodes.Count == 0) return;
        var index = new Dictionary<Urn, int>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++) index[nodes[i].Urn] = i;
        var successors = new List<int>?[nodes.Count];
        var indegree = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var dep in dependsOn(nodes[i]))
            {
                if (dep == default || !index.TryGetValue(dep, out var j) || j == i) continue;
                // Forward: the dependency goes first. Reverse (deletes): the dependent is deleted first.
                var (from, to) = reverse ? (i, j) : (j, i);
                (successors[from] ??= []).Add(to);
                indegree[to]++;
            }
        }

        var ready = new Queue<int>();
        for (var i = 0; i < nodes.Count; i++) if (indegree[i] == 0) ready.Enqueue(i);
        var running = new Dictionary<Task<bool>, int>();
        while (true)
        {
            while (!_failed && ready.Count > 0 && (running.Count < parallelism || !nodes[ready.Peek()].CallsProvider))
            {
                if (ct.IsCancellationRequested) { Fail(null, null, "cancelled"); break; }
                var i = ready.Dequeue();
                if (!nodes[i].CallsProvider)
                {
                    ApplyLocal(nodes[i]);
                    Release(i);
                }
                else running[ExecuteAsync(nodes[i], ct)] = i;
            }
            if (running.Count == 0) break;
            var done = await Task.WhenAny(running.Keys);
            var n = running[done];
            running.Remove(done);
            if (await done) Release(n);
        }

        void Release(int i)
        {
            foreach (var s in successors[i] ?? []) if (--indegree[s] == 0) ready.Enqueue(s);
        }
    }

    private void MoveOut(PlanStep s)
    {
        if (s.Handover is not null)
        {
            // The sibling's record reaches the OS before ours can: a kill -9 in between leaves two owners (the next
            // run drops ours), never none.
            var target = siblingWriters[s.OtherStack!];
            target.Done(s.Handover);
            target.FlushAsync(durable: false).AsTask().GetAwaiter().GetResult();
        }
        Remove(s.Urn, $"moved to {s.OtherStack}");
        Count(StepOp.MoveOut);
        progress?.Report(new StepEvent(StepEventKind.StepSucceeded, s.Urn, StepOp.MoveOut, null, $"moved to {s.OtherStack}"));
    }

    /// <summary>Steps with no provider call: components, metadata-only changes, and moves with unchanged inputs.</summary>
    private void ApplyLocal(PlanStep s)
    {
        var now = time.GetUtcNow();
        switch (s.Op)
        {
            case StepOp.Delete:
                Remove(s.Urn, "deleted");
                break;
            case StepOp.Move:
                var moved = StateOf(s.New!, s.Old!.Id, s.Old.Outputs, s.Old.Created, now);
                BeginMove(s, moved);
                Record(moved);
                break;
            default:
                Record(StateOf(s.New!, s.Old?.Id, s.Old?.Outputs ?? PropertyMap.Empty, s.Old?.Created ?? now,
                    s.Op == StepOp.Same ? s.Old?.Modified : now));
                break;
        }
        if (s.Op == StepOp.Same) return; // counted from the plan; a metadata rewrite is not a change to report
        Count(s.Op);
        progress?.Report(new StepEvent(StepEventKind.StepSucceeded, s.Urn, s.Op, null, null));
    }

    private void Record(ResourceState r)
    {
        writer.Done(r);
        lock (_gate)
        {
            state.Upsert(r);
            state.Pending.Remove(r.Urn);
        }
    }

    private void Remove(Urn urn, string why)
    {
        writer.Removed(urn, why);
        lock (_gate)
        {
            state.Remove(urn);
            state.Pending.Remove(urn);
        }
    }

    /// <summary>Journals the op and keeps it in the working state, so a compaction after a failure still records it.</summary>
    private void Pending(PendingOperation op)
    {
        writer.Pending(op);
        lock (_gate) state.Pending[op.Resource.Urn] = op;
    }

    private void BeginMove(PlanStep s, ResourceState moved)
    {
        // Ours first (pending, naming the source), then the source's move-out: a crash in between leaves a pending
        // move that the next run drops because the source still owns the resource.
        Pending(new PendingOperation(PendingKind.Moving, moved, s.Old, s.OtherStack));
        var source = siblingWriters[s.OtherStack!];
        source.Removed(s.Old!.Urn, $"moved to {writer.Stack}");
        // To the OS only (enough for a kill -9); fsync happens once before any provider publishes.
        source.FlushAsync(durable: false).AsTask().GetAwaiter().GetResult();
    }

    private async Task<bool> ExecuteAsync(PlanStep s, CancellationToken ct)
    {
        var providerName = s.Provider!;
        var sw = Stopwatch.StartNew();
        var called = false;
        try
        {
            var provider = Provider(providerName);
            await Begin(providerName, provider, ct);
            var now = time.GetUtcNow();
            progress?.Report(new StepEvent(StepEventKind.StepStarted, s.Urn, s.Op, providerName, null));
            ResourceState? result;
            switch (s.Op)
            {
                case StepOp.Create:
                    Pending(new PendingOperation(PendingKind.Creating, StateOf(s.New!, null, PropertyMap.Empty, now, now), null, null));
                    called = true;
                    result = FromProvider(s.New!, await provider.CreateAsync(s.New!, ct), now, now);
                    break;
                case StepOp.Update:
                    Pending(new PendingOperation(PendingKind.Updating, StateOf(s.New!, s.Old!.Id, s.Old.Outputs, s.Old.Created, now), s.Old, null));
                    called = true;
                    result = FromProvider(s.New!, await provider.UpdateAsync(s.Old!, s.New!, ct), s.Old!.Created, now);
                    break;
                case StepOp.Move:
                    BeginMove(s, StateOf(s.New!, s.Old!.Id, s.Old.Outputs, s.Old.Created, now));
                    called = true;
                    result = FromProvider(s.New!, await provider.UpdateAsync(s.Old!, s.New!, ct), s.Old!.Created, now);
                    break;
                case StepOp.Replace:
                    Pending(new PendingOperation(PendingKind.Replacing, StateOf(s.New!, null, PropertyMap.Empty, now, now), s.Old, null));
                    called = true;
                    result = await ReplaceAsync(s, now, ct);
                    break;
                case StepOp.Delete:
                    Pending(new PendingOperation(PendingKind.Deleting, s.Old!, s.Old, null));
                    called = true;
                    await provider.DeleteAsync(s.Old!, ct);
                    result = null;
                    break;
                default: throw new InvalidOperationException($"step {s.Op} has no provider call");
            }
            lock (_gate)
            {
                if (!_completed.TryGetValue(providerName, out var list)) _completed[providerName] = list = [];
                list.Add((s, result));
            }
            progress?.Report(new StepEvent(StepEventKind.StepSucceeded, s.Urn, s.Op, providerName, null) { Elapsed = sw.Elapsed });
            return true;
        }
        catch (Exception e)
        {
            // A step that failed before its provider call changed nothing; one that failed inside it may have staged
            // something, so its pending op is left for the next run to resolve by reading the live resource.
            if (!called)
            {
                writer.Resolved(s.Urn);
                lock (_gate) state.Pending.Remove(s.Urn);
            }
            Fail(s.Urn, providerName, e is OperationCanceledException ? "cancelled" : e.Message, stopsUpdate: e is not ResourceUnavailableException);
            progress?.Report(new StepEvent(StepEventKind.StepFailed, s.Urn, s.Op, providerName, e.Message) { Elapsed = sw.Elapsed });
            return false;
        }
    }

    private async Task<ResourceState> ReplaceAsync(PlanStep s, DateTimeOffset now, CancellationToken ct)
    {
        var oldProvider = s.Old!.Custom && s.Old.Provider is { } op ? Provider(op) : null;
        if (oldProvider is not null) await Begin(s.Old.Provider!, oldProvider, ct);
        var newProvider = Provider(s.New!.Provider!);
        if (s.New.Options.DeleteBeforeReplace && oldProvider is not null) await oldProvider.DeleteAsync(s.Old, ct);
        var created = FromProvider(s.New, await newProvider.CreateAsync(s.New, ct), now, now);
        if (s.New.Options.DeleteBeforeReplace || oldProvider is null) return created;
        try { await oldProvider.DeleteAsync(s.Old, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The replacement exists: record it (so it is owned) and fail naming the old resource left behind.
            lock (_gate)
            {
                if (!_completed.TryGetValue(s.New.Provider!, out var list)) _completed[s.New.Provider!] = list = [];
                list.Add((s, created));
            }
            throw new InvalidOperationException(
                $"created the replacement (id {created.Id}) but could not delete the old resource (id {s.Old.Id}); delete it by hand: {e.Message}", e);
        }
        return created;
    }

    private IResourceProvider Provider(string name) =>
        providers.TryGetValue(name, out var p) ? p : throw new InvalidOperationException($"unknown provider '{name}'");

    private Task Begin(string name, IResourceProvider provider, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_begun.TryGetValue(name, out var t)) _begun[name] = t = provider.BeginAsync(change, ct).AsTask();
            return t;
        }
    }

    private async Task CompleteProvidersAsync(CancellationToken ct)
    {
        foreach (var w in siblingWriters.Values) await w.FlushAsync(durable: true, CancellationToken.None);
        foreach (var (name, begin) in _begun.OrderBy(b => b.Key, StringComparer.Ordinal).ToList())
        {
            try { await begin; }
            catch (Exception) { continue; } // its steps already failed with this error and staged nothing
            try
            {
                await writer.FlushAsync(durable: true, CancellationToken.None);
                var revision = await providers[name].CompleteAsync(ct);
                if (revision is not null) _revisions[name] = revision;
                foreach (var (step, result) in _completed.GetValueOrDefault(name) ?? [])
                {
                    if (result is null) Remove(step.Urn, "deleted");
                    else Record(result);
                    Count(step.Op);
                }
                progress?.Report(new StepEvent(StepEventKind.ProviderCompleted, null, null, name, revision));
            }
            catch (Exception e)
            {
                Fail(null, name, $"provider {name} failed to publish: {(e is OperationCanceledException ? "cancelled" : e.Message)}");
                progress?.Report(new StepEvent(StepEventKind.ProviderFailed, null, null, name, e.Message));
            }
        }
    }

    /// <param name="stopsUpdate">False for a failure confined to one resource's target (<see cref="ResourceUnavailableException"/>):
    /// its dependents never start, every other step still runs.</param>
    private void Fail(Urn? urn, string? provider, string message, bool stopsUpdate = true)
    {
        lock (_gate) _failures.Add(new StepFailure(urn, provider, message));
        if (stopsUpdate) _failed = true;
    }

    private void Count(StepOp op)
    {
        lock (_gate) _counts[op]++;
    }

    private static ResourceState FromProvider(DesiredResource d, ProviderResult r, DateTimeOffset? created, DateTimeOffset modified) =>
        StateOf(d, r.Id, r.Outputs, created, modified);

    internal static ResourceState StateOf(DesiredResource d, string? id, PropertyMap outputs, DateTimeOffset? created, DateTimeOffset? modified) =>
        new(d.Urn, d.Custom, d.Custom ? id : null, d.Parent, d.Custom ? d.Provider : null, d.Inputs, outputs)
        {
            SecretInputs = d.SecretInputs,
            Dependencies = d.Options.DependsOn,
            Protect = d.Options.Protect,
            IgnoreChanges = d.Options.IgnoreChanges,
            ReplaceOnChanges = d.Options.ReplaceOnChanges,
            MoveKey = d.MoveKey,
            Tags = d.Tags,
            Created = created,
            Modified = modified,
        };
}
