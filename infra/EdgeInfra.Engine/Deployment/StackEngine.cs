using System.Collections.Immutable;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Engine.Deployment;

/// <summary>The engine facade: preview, up, refresh and destroy of one stack against a state backend and providers.</summary>
public sealed class StackEngine(IStateBackend backend, IReadOnlyDictionary<string, IResourceProvider> providers, TimeProvider time)
{
    /// <summary>The plan for <paramref name="desired"/>: no lock taken, nothing written, no provider called.</summary>
    public async Task<Plan> PreviewAsync(DesiredStack desired, UpdateOptions? options = null, CancellationToken ct = default)
    {
        options ??= UpdateOptions.Default;
        RequireSecrets(desired);
        var state = await backend.LoadAsync(desired.Stack, ct);
        var plan = NewPlanner().Plan(desired, state, await LoadSiblingsAsync(desired, options, ct), options.Targets);
        ValidateProviders(plan);
        return plan;
    }

    /// <summary>Applies <paramref name="desired"/>: lock, resolve pending operations, plan, record history, apply, compact.</summary>
    public async Task<UpdateResult> UpAsync(DesiredStack desired, UpdateOptions? options = null,
        IProgress<StepEvent>? progress = null, CancellationToken ct = default)
    {
        options ??= UpdateOptions.Default;
        RequireSecrets(desired);
        var stack = desired.Stack;
        await using var held = await backend.LockAsync(stack, LockHolder.Current(options.Actor, "up"), ct);
        var siblings = new SiblingLocks(backend, LockHolder.Current(options.Actor, $"up {stack} (moving resources)"));
        await using (siblings)
        {
            await using var writer = backend.OpenWriter(held);
            var state = new WorkingState(await backend.LoadAsync(stack, ct));
            var settled = state.Pending.Values.Where(p => p.Resource.Custom).Select(p => p.Resource.Provider).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var resolved = await PendingResolver.ResolveAsync(state, writer, backend, providers, progress, ct);
            Plan plan;
            while (true)
            {
                plan = NewPlanner().Plan(desired, state.ToSnapshot(), await LoadSiblingsAsync(desired, options, ct), options.Targets);
                var missing = plan.SiblingStacks.Where(s => !siblings.Writers.ContainsKey(s)).Order(StringComparer.Ordinal).ToList();
                if (missing.Count == 0) break;
                // Lock, then plan again against the now-stable sibling state.
                foreach (var s in missing) await siblings.LockAsync(s, ct);
            }
            ValidateProviders(plan);

            var now = time.GetUtcNow();
            if (options.ExpectNoChanges && plan.HasChanges)
            {
                if (writer.Dirty) await writer.CompactAsync(state.ToSnapshot(), CancellationToken.None);
                var changes = plan.Steps.Count(s => s.Op != StepOp.Same);
                return new UpdateResult(stack, null, false, plan, Plan.Count([]), ImmutableDictionary<string, string>.Empty,
                    [new StepFailure(null, null, $"--expect-no-changes: the plan has {changes} change(s)")]) { ResolvedPending = resolved };
            }

            if (options.SkipUnchanged && !plan.HasChanges && resolved == 0)
            {
                if (writer.Dirty) await writer.CompactAsync(state.ToSnapshot(), CancellationToken.None);
                return new UpdateResult(stack, null, true, plan, plan.Counts, ImmutableDictionary<string, string>.Empty, []);
            }

            var version = await writer.StartHistoryAsync(new HistoryStart(UpdateKind.Update, now, options.Actor, options.Message, options.SourceCommit), desired, ct);
            var outputsChanged = !state.Outputs.SequenceEqual(desired.Outputs);
            if (plan.HasChanges || plan.Steps.Any(s => s.MetadataChanged) || outputsChanged)
                writer.Begin(UpdateKind.Update, version, now);
            var deployer = NewDeployer(writer, state, siblings.Writers, stack, options.Message, options.Trailers, options.EffectiveParallelism, progress);
            await deployer.RunAsync(plan, ct, settled);
            if (!deployer.Failed && outputsChanged)
            {
                writer.Outputs(desired.Outputs);
                state.Outputs = desired.Outputs;
            }
            return await FinishAsync(writer, state, siblings, version, deployer, plan, resolved, desired.Resources.Select(r => r.Urn));
        }
    }

    /// <summary>Reads every custom resource; drift is reported and (unless preview-only) adopted into state.</summary>
    public async Task<RefreshResult> RefreshAsync(string stack, RefreshOptions? options = null,
        IProgress<StepEvent>? progress = null, CancellationToken ct = default)
    {
        options ??= RefreshOptions.Default;
        if (options.PreviewOnly)
        {
            var (drift, live, failures) = await ReadAllAsync(await backend.LoadAsync(stack, ct), options.EffectiveParallelism, progress, ct);
            return new RefreshResult(stack, null, failures.Count == 0, drift, failures);
        }

        await using var held = await backend.LockAsync(stack, LockHolder.Current(options.Actor, "refresh"), ct);
        await using var writer = backend.OpenWriter(held);
        var state = new WorkingState(await backend.LoadAsync(stack, ct));
        var resolved = await PendingResolver.ResolveAsync(state, writer, backend, providers, progress, ct);
        var version = await writer.StartHistoryAsync(new HistoryStart(UpdateKind.Refresh, time.GetUtcNow(), options.Actor, options.Message, null), null, ct);
        var (drifts, adopted, errors) = await ReadAllAsync(state.ToSnapshot(), options.EffectiveParallelism, progress, ct);
        if (drifts.Count > 0) writer.Begin(UpdateKind.Refresh, version, time.GetUtcNow());
        foreach (var d in drifts)
        {
            if (d.Missing)
            {
                writer.Removed(d.Urn, "refresh: not found");
                state.Remove(d.Urn);
            }
            else
            {
                writer.Done(adopted[d.Urn]);
                state.Upsert(adopted[d.Urn]);
            }
        }
        var result = errors.Count == 0 ? UpdateResultKind.Succeeded : UpdateResultKind.Failed;
        if (writer.Dirty)
        {
            writer.End(result);
            await writer.CompactAsync(state.ToSnapshot(), CancellationToken.None);
        }
        var changes = new Dictionary<string, int> { ["refresh"] = drifts.Count(d => !d.Missing), ["delete"] = drifts.Count(d => d.Missing) };
        await writer.EndHistoryAsync(version, new HistoryEnd(result, time.GetUtcNow(), changes, ImmutableDictionary<string, string>.Empty), CancellationToken.None);
        return new RefreshResult(stack, version, errors.Count == 0, drifts, errors) { ResolvedPending = resolved };
    }

    /// <summary>Deletes every resource of the stack in reverse dependency order; protected resources fail it up front.</summary>
    public async Task<UpdateResult> DestroyAsync(string stack, UpdateOptions? options = null,
        IProgress<StepEvent>? progress = null, CancellationToken ct = default)
    {
        options ??= UpdateOptions.Default;
        await using var held = await backend.LockAsync(stack, LockHolder.Current(options.Actor, "destroy"), ct);
        await using var writer = backend.OpenWriter(held);
        var state = new WorkingState(await backend.LoadAsync(stack, ct));
        var resolved = await PendingResolver.ResolveAsync(state, writer, backend, providers, progress, ct);
        var snapshot = state.ToSnapshot();
        var isProtected = snapshot.Resources.Where(r => r.Protect)
            .Select(r => $"{r.Urn}: resource is protected; set protect: false and run up before destroying the stack").ToList();
        if (isProtected.Count > 0)
        {
            if (writer.Dirty) await writer.CompactAsync(snapshot, CancellationToken.None);
            throw new PlanException(isProtected);
        }
        var plan = new Plan(stack, [.. snapshot.Resources.Select(r => new PlanStep(StepOp.Delete, r.Urn, r, null))], []);
        ValidateProviders(plan);
        var now = time.GetUtcNow();
        var empty = new DesiredStack(stack, backend.Project, [], ImmutableSortedDictionary<string, string>.Empty);
        var version = await writer.StartHistoryAsync(new HistoryStart(UpdateKind.Destroy, now, options.Actor, options.Message, options.SourceCommit), empty, ct);
        if (plan.HasChanges) writer.Begin(UpdateKind.Destroy, version, now);
        var deployer = NewDeployer(writer, state, ImmutableDictionary<string, IStateWriter>.Empty, stack, options.Message, options.Trailers,
            options.EffectiveParallelism, progress);
        await deployer.RunAsync(plan, ct);
        if (!deployer.Failed && state.Outputs.Count > 0)
        {
            writer.Outputs(ImmutableSortedDictionary<string, string>.Empty);
            state.Outputs = ImmutableSortedDictionary<string, string>.Empty;
        }
        return await FinishAsync(writer, state, null, version, deployer, plan, resolved, []);
    }

    private async Task<UpdateResult> FinishAsync(IStateWriter writer, WorkingState state, SiblingLocks? siblings, int version,
        Deployer deployer, Plan plan, int resolved, IEnumerable<Urn> order)
    {
        var result = deployer.Failed ? UpdateResultKind.Failed : UpdateResultKind.Succeeded;
        if (writer.Dirty)
        {
            writer.End(result);
            await writer.CompactAsync(state.ToSnapshot(order), CancellationToken.None);
        }
        if (siblings is not null) await siblings.CompactAsync();
        var changes = deployer.Counts.Where(c => c.Value > 0)
            .ToDictionary(c => c.Key.ToString().ToLowerInvariant(), c => c.Value, StringComparer.Ordinal);
        await writer.EndHistoryAsync(version, new HistoryEnd(result, time.GetUtcNow(), changes, deployer.Revisions), CancellationToken.None);
        return new UpdateResult(state.Stack, version, !deployer.Failed, plan, deployer.Counts, deployer.Revisions, deployer.Failures)
        {
            ResolvedPending = resolved,
        };
    }

    private Deployer NewDeployer(IStateWriter writer, WorkingState state, IReadOnlyDictionary<string, IStateWriter> siblingWriters,
        string stack, string message, IReadOnlyList<KeyValuePair<string, string>> trailers, int parallelism, IProgress<StepEvent>? progress) =>
        new(providers, writer, state, siblingWriters, new ChangeDescription(stack, message, trailers), parallelism, progress, time);

    private Planner NewPlanner() =>
        new((provider, type) => providers.TryGetValue(provider, out var p) ? p.ReplaceKeys(type) : null);

    private async Task<IReadOnlyList<SiblingView>> LoadSiblingsAsync(DesiredStack desired, UpdateOptions options, CancellationToken ct)
    {
        var views = new List<SiblingView>(options.Siblings.Length);
        foreach (var s in options.Siblings.Where(s => s.Stack != desired.Stack))
            views.Add(new SiblingView(s.Stack, await backend.LoadAsync(s.Stack, ct), s));
        return views;
    }

    private void ValidateProviders(Plan plan)
    {
        var problems = plan.Steps.Where(s => s.CallsProvider && !providers.ContainsKey(s.Provider!))
            .Select(s => $"{s.Urn}: unknown provider '{s.Provider}'").ToList();
        if (problems.Count > 0) throw new PlanException(problems);
    }

    private void RequireSecrets(DesiredStack desired)
    {
        if (!backend.CanEncryptSecrets && desired.Resources.Any(r => r.SecretInputs.Count > 0))
            throw SecretCodec.Missing(desired.Stack);
    }

    private async Task<(List<Drift> Drift, Dictionary<Urn, ResourceState> Adopted, List<StepFailure> Failures)> ReadAllAsync(
        StackSnapshot snapshot, int parallelism, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        var drift = new List<Drift>();
        var adopted = new Dictionary<Urn, ResourceState>();
        var failures = new List<StepFailure>();
        var gate = new Lock();
        await Parallel.ForEachAsync(snapshot.Resources.Where(r => r.Custom),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (r, token) =>
            {
                if (r.Provider is null || !providers.TryGetValue(r.Provider, out var provider))
                {
                    lock (gate) failures.Add(new StepFailure(r.Urn, r.Provider, $"unknown provider '{r.Provider}'"));
                    return;
                }
                try
                {
                    var live = await provider.ReadAsync(r, token);
                    Drift? d = null;
                    ResourceState? next = null;
                    if (live is null) d = new Drift(r.Urn, true, [], []);
                    else if (!live.Inputs.Equals(r.Inputs) || !live.Outputs.Equals(r.Outputs) || live.Id != r.Id)
                    {
                        d = new Drift(r.Urn, false, Planner.Mask(r.Inputs.DiffTo(live.Inputs), r.SecretInputs, r.SecretInputs),
                            Planner.Mask(r.Outputs.DiffTo(live.Outputs), r.SecretInputs, r.SecretInputs));
                        next = r with { Id = live.Id, Inputs = live.Inputs, Outputs = live.Outputs, Modified = time.GetUtcNow() };
                    }
                    if (d is null) return;
                    lock (gate)
                    {
                        drift.Add(d);
                        if (next is not null) adopted[r.Urn] = next;
                    }
                    progress?.Report(new StepEvent(StepEventKind.Refreshed, r.Urn, null, r.Provider, d.Missing ? "missing" : "drifted"));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    lock (gate) failures.Add(new StepFailure(r.Urn, r.Provider, e.Message));
                }
            });
        var order = snapshot.Resources.Select((r, i) => (r.Urn, i)).ToDictionary(x => x.Urn, x => x.i);
        drift.Sort((a, b) => order[a.Urn].CompareTo(order[b.Urn]));
        return (drift, adopted, failures);
    }
}
