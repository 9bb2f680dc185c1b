using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Automation;

/// <summary>The rollout host's ring applier: applies a ring stack through the engine exactly as <c>up --ring</c> does
/// (the base stack first when its hub files changed, one commit with trailers), releases paused stores at the ring's own
/// applied release, and rolls a ring back by re-applying the desired state recorded at a history version.</summary>
internal sealed class EngineRingApplier(FleetWorkspace ws, SourceInfo source, TimeProvider time, string verb) : IRingApplier
{
    /// <summary>How far back a search for a version goes: each candidate's desired state is read from history.</summary>
    private const int SearchDepth = 50;

    public async Task<RingApplyResult> ApplyAsync(string ring, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken)
    {
        // The walker records which offline stores to pause (or release) just before it applies: render them now.
        ws.UsePaused(paused);
        _released.Remove(ring);
        var selected = StackSelection.Resolve(ws, ring, allRings: false, requireChoice: true, verb);
        using var timer = PhaseTimer.Start($"apply ring {ring}");
        await ws.StateLoaded;
        UpdateResult? ringResult = null;
        foreach (var s in selected)
        {
            // As `up`: a stack without changes is not run (planned once, under its lock), so a repeated apply records
            // nothing and commits nothing.
            var result = await UpAsync(s.Desired, s.Ring, reason, cancellationToken, skipUnchanged: true);
            if (!result.Succeeded) return RingApplyResult.Failed(Describe(result));
            if (s.Ring is not null && result.Version is not null) ringResult = result;
        }
        var desired = ws.RingStack(ring);
        return new RingApplyResult(true, ringResult?.Version ?? await LatestVersionAsync(desired.Stack, cancellationToken),
            ringResult?.Revisions.GetValueOrDefault(FleetProviders.FleetRepo) ?? await LatestRevisionAsync(desired.Stack, cancellationToken), null)
        {
            Digests = StackOutputs.Digests(desired),
        };
    }

    public async Task<RingApplyResult> ReleaseAsync(string ring, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken)
    {
        using var timer = PhaseTimer.Start($"release stores of ring {ring}");
        var stack = ws.RingStackName(ring);
        await ws.StateLoaded;
        // The ring stack alone: a release moves no store, and the base stack's hub files wait for the next rollout too.
        if (await RingAppliedRelease.ReadAsync(ws.Backend, stack, cancellationToken) is not { } applied)
            return RingApplyResult.Failed($"ring {ring} was never applied: its stores are released by its rollout");
        DesiredStack desired;
        if (_released.TryGetValue(ring, out var last) && last.Release == applied.Key)
        {
            // The ring is still at the release it was last released at: only the Cluster files of stores whose pause
            // changed are rendered again (a ring spanning time zones is released 60–90 times in a walk).
            var changed = ws.Model.StoresInRing(ring).Where(s => last.Paused.Contains(s.Id) != paused.Contains(s.Id));
            desired = FleetStackBuilder.WithPauses(last.Desired, ws.Model, changed, paused);
        }
        else
        {
            try { desired = ws.RenderRing(ring, applied.Apply(ws.Model), paused); }
            catch (RingAppliedReleaseException e) { return RingApplyResult.Failed($"ring {ring} cannot be re-rendered at its applied release: {e.Message}"); }
        }
        _released[ring] = (applied.Key, paused.ToHashSet(StringComparer.Ordinal), desired);
        var result = await UpAsync(desired, ring, reason, cancellationToken, skipUnchanged: true);
        if (!result.Succeeded) return RingApplyResult.Failed(Describe(result));
        return new RingApplyResult(true, result.Version ?? await LatestVersionAsync(stack, cancellationToken),
            result.Revisions.GetValueOrDefault(FleetProviders.FleetRepo) ?? await LatestRevisionAsync(stack, cancellationToken), null)
        {
            Digests = StackOutputs.Digests(desired),
        };
    }

    /// <summary>Per ring, the release and pauses it was last released at, and the stack rendered for them.</summary>
    private readonly Dictionary<string, (string Release, HashSet<string> Paused, DesiredStack Desired)> _released = new(StringComparer.Ordinal);

    public async Task<RingApplyResult> RestoreAsync(string ring, int version, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken)
    {
        using var timer = PhaseTimer.Start($"restore ring {ring}");
        var stack = ws.RingStack(ring).Stack;
        // A rollback is an emergency: Fleet returns every online store at once instead of pacing them (EmergencyRollout).
        // The version's releases, with the pauses the rollout host holds now (ClusterPauses): a rollback unpauses no one.
        ws.UsePaused(paused);
        _released.Remove(ring);
        var desired = ClusterPauses.Apply(EmergencyRollout.Unthrottled(await ws.Backend.LoadHistoryDesiredAsync(stack, version, cancellationToken)), paused);
        var result = await UpAsync(desired, ring, reason, cancellationToken);
        if (!result.Succeeded) return RingApplyResult.Failed(Describe(result));
        return new RingApplyResult(true, result.Version,
            result.Revisions.GetValueOrDefault(FleetProviders.FleetRepo) ?? await LatestRevisionAsync(stack, cancellationToken), null)
        {
            Digests = StackOutputs.Digests(desired),
        };
    }

    public async Task<RingVersion?> FindVersionAsync(string ring, Func<RingVersion, bool> accept, CancellationToken cancellationToken)
    {
        var stack = ws.RingStack(ring).Stack;
        var history = await ws.Backend.HistoryAsync(stack, cancellationToken);
        foreach (var entry in history.Where(e => e.Kind == UpdateKind.Update && e.HasDesired).Reverse().Take(SearchDepth))
        {
            var desired = await ws.Backend.LoadHistoryDesiredAsync(stack, entry.Version, cancellationToken);
            var candidate = new RingVersion(entry.Version, entry.Result == UpdateResultKind.Succeeded, StackOutputs.Release(desired),
                entry.Revisions.GetValueOrDefault(FleetProviders.FleetRepo));
            if (accept(candidate)) return candidate;
        }
        return null;
    }

    private async Task<UpdateResult> UpAsync(DesiredStack desired, string? ring, string reason, CancellationToken cancellationToken, bool skipUnchanged = false)
    {
        using var session = EngineSession.Open(ws, desired.Stack, time);
        var selected = new SelectedStack(desired, ring);
        var options = ChangeTrailers.Describe(new UpdateOptions { Siblings = [.. ws.Siblings(ring)], SkipUnchanged = skipUnchanged }, selected, source, verb, reason);
        return await session.Engine.UpAsync(desired, options, null, cancellationToken);
    }

    private async Task<int?> LatestVersionAsync(string stack, CancellationToken cancellationToken) =>
        (await ws.Backend.HistoryAsync(stack, cancellationToken)).LastOrDefault(e => e.Result == UpdateResultKind.Succeeded)?.Version;

    /// <summary>The fleet-repo commit the ring's files were last written at (a run that changed nothing made none).</summary>
    private async Task<string?> LatestRevisionAsync(string stack, CancellationToken cancellationToken) =>
        (await ws.Backend.HistoryAsync(stack, cancellationToken))
            .LastOrDefault(e => e.Revisions.ContainsKey(FleetProviders.FleetRepo))?.Revisions[FleetProviders.FleetRepo];

    private static string Describe(UpdateResult result) =>
        result.Failures.Count == 0 ? $"update of {result.Stack} failed" : string.Join("; ", result.Failures.Select(f => f.Message));
}
