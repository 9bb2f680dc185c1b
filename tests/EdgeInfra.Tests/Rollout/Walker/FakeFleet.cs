using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Status;

namespace EdgeInfra.Tests.Rollout.Walker;

/// <summary>A hub that reports each store of an opened ring applying, then ready after <see cref="ReadyAfter"/>; stores
/// in <see cref="Offline"/> stay offline; a store <see cref="Paused"/> names stays pending, as Fleet leaves a paused
/// cluster's deployment alone, and applies from when it is unpaused; <see cref="Unreachable"/> makes every read fail.</summary>
internal sealed class FakeFleet : IFleetStatusReader
{
    private readonly Dictionary<string, DateTimeOffset> _opened = new(StringComparer.Ordinal);

    public TimeSpan ReadyAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a store that was paused takes to be ready once unpaused; <see cref="ReadyAfter"/> when null.</summary>
    public TimeSpan? ReadyAfterUnpause { get; set; }
    public HashSet<string> Offline { get; } = new(StringComparer.Ordinal);

    /// <summary>Stores whose agents have not checked in yet (no <c>lastSeen</c>): pending once their ring is opened, offline
    /// after <see cref="RegistrationGrace"/>, as the classifier sees a Cluster whose agent never checked in.</summary>
    public HashSet<string> Unregistered { get; } = new(StringComparer.Ordinal);

    public TimeSpan RegistrationGrace { get; set; } = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, DateTimeOffset> _registeringSince = new(StringComparer.Ordinal);
    public bool Unreachable { get; set; }

    /// <summary>The stores whose Cluster is paused now (read at every hub read); none when null.</summary>
    public Func<IReadOnlySet<string>>? Paused { get; set; }

    private readonly HashSet<string> _wasPaused = new(StringComparer.Ordinal);
    public int Reads { get; private set; }

    /// <summary>The read (1-based, counted over the fleet's life) that throws <see cref="SimulatedKill"/> instead.</summary>
    public int? KillOnRead { get; set; }

    public Task<FleetStatus> ReadAsync(FleetModel model, IReadOnlyDictionary<string, string> ringRevisions, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        Reads++;
        if (Reads == KillOnRead) throw new SimulatedKill($"killed at hub read {Reads}");
        if (Unreachable) return Task.FromResult(new FleetStatus(new Dictionary<string, StoreStatus>(), "connection refused"));
        var stores = new Dictionary<string, StoreStatus>(StringComparer.Ordinal);
        var paused = Paused?.Invoke() ?? new HashSet<string>();
        foreach (var s in model.Stores)
        {
            StoreState state;
            string? revision = null;
            if (Unregistered.Contains(s.Id) && s.Ring is { } opened && ringRevisions.ContainsKey(opened))
            {
                if (!_registeringSince.TryGetValue(s.Id, out var since)) _registeringSince[s.Id] = since = now;
                stores[s.Id] = new StoreStatus(s.Id, s.Ring, now - since > RegistrationGrace ? StoreState.Offline : StoreState.Pending, null, null, null, "not registered");
                continue;
            }
            if (Offline.Contains(s.Id)) state = StoreState.Offline;
            else if (paused.Contains(s.Id) && s.Ring is { } r && ringRevisions.ContainsKey(r))
            {
                _wasPaused.Add(s.Id);
                state = StoreState.Pending;
            }
            else if (s.Ring is { } ring && ringRevisions.TryGetValue(ring, out var rev))
            {
                var key = _wasPaused.Contains(s.Id) ? $"{s.Id}@{rev}" : $"{ring}@{rev}";
                if (!_opened.TryGetValue(key, out var since)) _opened[key] = since = now;
                state = now - since >= (_wasPaused.Contains(s.Id) ? ReadyAfterUnpause ?? ReadyAfter : ReadyAfter) ? StoreState.Ready : StoreState.Applying;
                revision = rev;
            }
            else state = StoreState.NotSelected;
            stores[s.Id] = new StoreStatus(s.Id, s.Ring, state, now, state == StoreState.Ready ? revision : null, revision, null);
        }
        return Task.FromResult(new FleetStatus(stores, null));
    }
}

/// <summary>Stands for a kill -9 in the walker tests: thrown from inside a step, it unwinds the walker without any of
/// its own handling (nothing catches it), leaving only what was persisted.</summary>
internal sealed class SimulatedKill(string message) : Exception(message);
