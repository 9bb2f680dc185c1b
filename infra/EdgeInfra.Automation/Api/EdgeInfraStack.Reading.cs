using System.Collections.Concurrent;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>The operations that only read: status from the hub, the audit trail, the engine history.</summary>
public sealed partial class EdgeInfraStack
{
    private static readonly StoreState[] States = Enum.GetValues<StoreState>();

    /// <summary>Every store's state read from the hub now, counted per ring. In the lab the simulator is read at its
    /// persisted virtual now and never moved forward.</summary>
    public async Task<StackStatusReport> StatusAsync(StatusRequest? request = null, CancellationToken ct = default)
    {
        request ??= new StatusRequest();
        var ws = FleetWorkspace.LoadForReading(_workspace.ProjectDir, Name, Time);
        if (request.Ring is not null) ws.RingStackName(request.Ring);
        if (request.Store is not null && ws.Model.Stores.All(s => s.Id != request.Store))
            throw new UsageException($"unknown store '{request.Store}' in stack '{ws.Stack}'");

        var revisions = await RingRevisionsAsync(ws, ct);
        HubConnector hub;
        using (PhaseTimer.Start("open hub"))
            hub = await HubConnector.OpenAsync(ws, HubClock(), StatusPolicy(ws), new HubOpenOptions(ReadOnly: true), ct);
        await using var closeHub = hub;
        var now = hub.Clock.GetUtcNow();
        FleetStatus status;
        using (PhaseTimer.Start("read and classify hub")) status = await hub.Status.ReadAsync(ws.Model, revisions, now, ct);

        // Stores awaiting catch-up are shown as such (paused or not), never as failed.
        var catchUp = new CatchUpStore(RolloutScope.Of(ws, Actor).Paths).List().ToDictionary(e => e.Store, StringComparer.Ordinal);
        var storesById = ws.Model.Stores.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var waiting = catchUp.Values.ToDictionary(e => e.Store,
            e => $"awaiting {CatchUpPolicy.Name(e.Class)} catch-up; " + new CatchUpItem(e, status.Stores.GetValueOrDefault(e.Store)).Waiting(now, storesById.GetValueOrDefault(e.Store)),
            StringComparer.Ordinal);
        var rings = ws.Rings.Where(r => request.Ring is null || r.Name == request.Ring).ToList();
        var selected = ws.Model.Stores
            .Where(s => (request.Ring is null || s.Ring == request.Ring) && (request.Store is null || s.Id == request.Store))
            .Select(s => status.Stores.GetValueOrDefault(s.Id))
            .OfType<StoreStatus>()
            .ToList();
        var counts = rings.Select(r => new RingStatus(r.Name, revisions.GetValueOrDefault(r.Name),
            States.ToDictionary(st => st, st => status.Stores.Values.Count(s => s.Ring == r.Name && s.State == st)))).ToList();
        return new StackStatusReport(ws.Stack, now, hub.IsLab, status.Reachable, status.Error, counts, selected, catchUp, waiting)
        {
            Inventory = storesById,
        };
    }

    /// <summary>The stack's last rollout as the walker persisted it (rings, phases, outcome), or null when none ran.</summary>
    public RolloutState? LastRollout() => RolloutState.Read(RolloutScope.Open(_workspace.ProjectDir, Name, Actor).Paths);

    /// <summary>Ring → what its ring stack last applied: the release of its newest successful update that declares one,
    /// from the engine history, whoever applied it (a rollout, a rollback, <c>up</c> by hand). Rings never applied are
    /// absent.</summary>
    /// <param name="rings">The stack's rings (a status report names them): the inventory is not loaded again for them.</param>
    public async Task<IReadOnlyDictionary<string, AppliedRelease>> AppliedReleasesAsync(IEnumerable<string> rings, CancellationToken ct = default)
    {
        var backend = FleetWorkspace.OpenBackend(_workspace.ProjectDir, Name, Time);
        var result = new Dictionary<string, AppliedRelease>(StringComparer.Ordinal);
        foreach (var ring in rings)
        {
            var stack = EdgeInfra.Components.Resources.FleetStackBuilder.RingStackName(Name, ring);
            var applied = (await backend.HistoryAsync(stack, ct))
                .Where(e => e.Kind == UpdateKind.Update && e.Result == UpdateResultKind.Succeeded && e.HasDesired)
                .OrderByDescending(e => e.Version);
            foreach (var e in applied)
            {
                // A recorded version never changes: its desired state (every store's files) is read once per process.
                if (!_releaseOfVersion.TryGetValue((stack, e.Version), out var release))
                    _releaseOfVersion[(stack, e.Version)] = release = StackOutputs.Release(await backend.LoadHistoryDesiredAsync(stack, e.Version, ct)).Key;
                if (release.Length == 0) continue;
                result[ring] = new AppliedRelease(ring, release, e.Version, e.Ended ?? e.Started,
                    e.Message.StartsWith(Verbs.Rollback + " ", StringComparison.Ordinal));
                break;
            }
        }
        return result;
    }

    private readonly ConcurrentDictionary<(string Stack, int Version), string> _releaseOfVersion = new();

    /// <summary>The directory of the stack's rollout-host files (state, locks, holds, audit); hosts keep theirs beside.</summary>
    public string RolloutDirectory => RolloutScope.Open(_workspace.ProjectDir, Name, Actor).Paths.Dir;

    /// <summary>The service's settings of the stack (its bearer tokens, decrypted only to their digests).</summary>
    /// <exception cref="EdgeInfra.StackInputs.FleetModelException">A token is in plaintext, too short, or has no role.</exception>
    public ServiceSettings ServiceSettings() => ServiceConfigReader.Load(Load().Config);

    /// <summary>The stack's freeze and release holds in force.</summary>
    public StackControls Controls()
    {
        var scope = RolloutScope.Open(_workspace.ProjectDir, Name, Actor);
        return new StackControls(scope.Freezes.Current(), scope.Holds.List());
    }

    /// <summary>Who changed what, which stores received it and when: the verified decision log and the fleet-repo commits.</summary>
    public async Task<AuditReport> AuditAsync(AuditRequest? request = null, CancellationToken ct = default)
    {
        request ??= new AuditRequest();
        var ws = FleetWorkspace.Load(_workspace.ProjectDir, Name, Time);
        var scope = RolloutScope.Of(ws, Actor);
        var from = request.Since ?? DateTimeOffset.MinValue;
        var storeId = request.Store;
        string? storeRing = null;
        if (storeId is not null)
            storeRing = ws.Model.Stores.FirstOrDefault(s => s.Id == storeId)?.Ring
                        ?? throw new UsageException($"store '{storeId}' is not in the inventory of stack {ws.Stack}");

        var reading = scope.Audit.Read();
        var entries = reading.Entries.Where(e => e.Record.Time >= from && Concerns(e.Record, storeId, storeRing)).ToList();
        IReadOnlyList<FleetCommit> commits;
        using (var history = new FleetRepoHistory(EngineSession.RepoOptions(ws, "audit"), EngineSession.Credentials(ws)))
            commits = [.. (await history.ReadAsync(ct: ct)).Where(c => c.When >= from && c.Trailer(ChangeTrailers.Stack) is { } s
                && (s == ws.Stack || s.StartsWith(ws.Stack + ".", StringComparison.Ordinal))
                && (storeId is null || c.Trailer(ChangeTrailers.Ring) == storeRing || c.Changes.Any(ch => ch.Path.Contains($"/{storeId}", StringComparison.Ordinal))))
                .Reverse()];
        return new AuditReport(ws.Stack, storeId, storeRing, reading.Intact, reading.Problems, entries, commits);
    }

    /// <summary>The recorded runs of the base stack and each ring stack (or one ring's), newest first.</summary>
    /// <param name="limit">At most this many entries per engine stack.</param>
    public async Task<IReadOnlyList<StackHistory>> HistoryAsync(string? ring = null, int? limit = null, CancellationToken ct = default)
    {
        var ws = FleetWorkspace.Load(_workspace.ProjectDir, Name, Time);
        var selected = StackSelection.Resolve(ws, ring, allRings: false, requireChoice: false, "history");
        using var session = EngineSession.Open(ws, ws.Stack, Time);
        var all = new List<StackHistory>();
        foreach (var s in selected)
        {
            var entries = (await session.Backend.HistoryAsync(s.Name, ct)).OrderByDescending(e => e.Version);
            all.Add(new StackHistory(s.Name, [.. limit is { } n ? entries.Take(n) : entries]));
        }
        return all;
    }

    /// <summary>Ring → the fleet-repo commit of its ring stack's last successful update that recorded one.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> RingRevisionsAsync(FleetWorkspace ws, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in ws.Rings)
        {
            var history = await ws.Backend.HistoryAsync(ws.RingStackName(r.Name), ct);
            var last = history
                .Where(e => e.Kind == UpdateKind.Update && e.Result == UpdateResultKind.Succeeded && e.Revisions.Count > 0)
                // A catch-up release only unpauses Clusters: the ring's bundles stay at the commit its rollout applied.
                .Where(e => !e.Message.Contains(CatchUpPolicy.ReleaseReason, StringComparison.Ordinal))
                .MaxBy(e => e.Version);
            if (last is not null) result[r.Name] = last.Revisions.Values.First();
        }
        return result;
    }

    /// <summary>The offline thresholds per site class and the failure deadline of <c>edge-infra:rollout</c>.</summary>
    private static FleetStatusPolicy StatusPolicy(FleetWorkspace ws) => RolloutWalkerBuilder.StatusPolicy(RolloutConfigReader.Load(ws.Config));

    /// <summary>Prod reads at the run's clock; the lab at its own persisted virtual now (null), never the wall clock.</summary>
    private TimeProvider? HubClock() => Time == TimeProvider.System ? null : Time;

    private static bool Concerns(AuditRecord r, string? store, string? ring) =>
        store is null
        || r.Stores?.Contains(store) == true
        || (r.Ring == ring && r.Action != AuditActions.Observe)
        || (r.Ring is null && r.Action != AuditActions.Observe);
}
