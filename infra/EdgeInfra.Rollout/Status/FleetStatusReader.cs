using EdgeInfra.Components.Model;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Providers.Hub;

namespace EdgeInfra.Rollout.Status;

/// <summary>Reads the Fleet hub through <see cref="FleetHubClient"/> and classifies every store; a hub that cannot be
/// read gives a <see cref="FleetStatus"/> with the reason, never an exception.</summary>
/// <remarks>While only some rings are open (a rollout's first rings), it lists only their Clusters (by the
/// <c>rollout-ring</c> label their ClusterGroups select on) and the BundleDeployments of their GitRepos' Bundles: the
/// stores of the other rings are not-selected whatever the hub says, and reading them cost a whole fleet per gate
/// evaluation.</remarks>
public sealed class FleetStatusReader : IFleetStatusReader
{
    private readonly Func<string, CancellationToken, Task<HubSnapshot>> _read;
    private readonly Func<string, string, IReadOnlySet<string>, CancellationToken, Task<HubSnapshot>>? _readRings;
    /// <summary>Reads a whole workspace with its Clusters listed per ring (the hub client's concurrent read).</summary>
    private readonly Func<string, IReadOnlyCollection<string>, CancellationToken, Task<HubSnapshot>>? _readByRing;
    private readonly StoreClassifier _classifier;

    /// <param name="content">Compares ring bundle dirs between fleet-repo commits, so a BD that Fleet relabelled with a
    /// later commit that left its ring alone still counts as on the ring's revision; null: only the revision itself does.</param>
    public FleetStatusReader(FleetHubClient hub, FleetStatusPolicy policy, IRingContent? content = null)
        : this(hub.ReadSnapshotAsync, policy, content)
    {
        _readRings = hub.ReadSnapshotAsync;
        _readByRing = (workspace, rings, ct) => hub.ReadSnapshotByRingAsync(workspace, StoreLabels.RolloutRing, rings, ct);
    }

    /// <summary>A reader over another source of the hub client's snapshots (the lab's objects in process, for a rehearsal).</summary>
    /// <param name="read">Reads a whole workspace, as <see cref="FleetHubClient.ReadSnapshotAsync(string, CancellationToken)"/>.</param>
    /// <param name="readRings">Reads the open rings only, as the client's overload with a Cluster selector and GitRepos.</param>
    public FleetStatusReader(Func<string, CancellationToken, Task<HubSnapshot>> read,
        Func<string, string, IReadOnlySet<string>, CancellationToken, Task<HubSnapshot>> readRings, FleetStatusPolicy policy,
        IRingContent? content = null)
        : this(read, policy, content)
    {
        _readRings = readRings;
    }

    /// <param name="read">Reads one snapshot of a workspace (the hub client's, or a test's).</param>
    internal FleetStatusReader(Func<string, CancellationToken, Task<HubSnapshot>> read, FleetStatusPolicy policy, IRingContent? content = null)
    {
        _read = read;
        _classifier = new StoreClassifier(policy, content);
    }

    public async Task<FleetStatus> ReadAsync(FleetModel model, IReadOnlyDictionary<string, string> ringRevisions, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        HubSnapshot snapshot;
        try
        {
            snapshot = OpenRings(model, ringRevisions) is { } open
                ? await _readRings!(model.Settings.Workspace, $"{StoreLabels.RolloutRing} in ({string.Join(",", open)})",
                        GitRepos(model, open), cancellationToken)
                    .ConfigureAwait(false)
                : _readByRing is not null
                    ? await _readByRing(model.Settings.Workspace, RingsOf(model), cancellationToken).ConfigureAwait(false)
                    : await _read(model.Settings.Workspace, cancellationToken).ConfigureAwait(false);
        }
        catch (FleetHubException e)
        {
            return Unreadable(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything else from a client library (a TLS or auth plugin failure, a cancelled socket) is still only a reason.
            return Unreadable($"hub read failed: {e.GetType().Name}: {e.Message}");
        }
        return new FleetStatus(_classifier.Classify(model, ringRevisions, snapshot, now), null);
    }

    /// <summary>The open rings (those with a revision) when they are some of the fleet's rings but not all; null when
    /// the whole workspace is read.</summary>
    private SortedSet<string>? OpenRings(FleetModel model, IReadOnlyDictionary<string, string> ringRevisions)
    {
        if (_readRings is null) return null;
        var rings = RingsOf(model);
        var open = new SortedSet<string>(rings.Where(ringRevisions.ContainsKey), StringComparer.Ordinal);
        return open.Count == 0 || open.Count == rings.Count ? null : open;
    }

    /// <summary>The rings the model's stores are in, found once per model (a rollout host reads one model at every
    /// gate evaluation).</summary>
    private HashSet<string> RingsOf(FleetModel model)
    {
        if (_rings is { } known && ReferenceEquals(known.Model, model)) return known.Rings;
        var rings = model.Stores.Select(s => s.Ring).OfType<string>().ToHashSet(StringComparer.Ordinal);
        _rings = new ModelRings(model, rings);
        return rings;
    }

    private sealed record ModelRings(FleetModel Model, HashSet<string> Rings);

    private ModelRings? _rings;

    /// <summary>The GitRepos of the open rings: one per ring, or one per (ring, shard) in a sharded stack.</summary>
    private static SortedSet<string> GitRepos(FleetModel model, SortedSet<string> rings) =>
        new(rings.SelectMany(model.Settings.Sharding.GitRepoNames), StringComparer.Ordinal);

    private static FleetStatus Unreadable(string reason) => new(new Dictionary<string, StoreStatus>(), reason);
}
