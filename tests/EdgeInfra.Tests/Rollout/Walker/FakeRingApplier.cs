using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Rollout.Walker;

/// <summary>An in-memory ring applier with the engine's semantics: history versions per ring, a no-op apply when the
/// ring is already at the release, a restore that re-applies a recorded version's release.</summary>
internal sealed class FakeRingApplier(Func<ReleaseSet> release) : IRingApplier
{
    private readonly Lock _gate = new();
    private int _commits;

    public Dictionary<string, List<RingVersion>> History { get; } = new(StringComparer.Ordinal);
    public List<string> Commits { get; } = [];
    public Func<string, string?>? FailApply { get; set; }

    /// <summary>Called after each apply or restore has committed, before it returns (a kill -9 lands here in tests).</summary>
    public Action<string>? AfterCommit { get; set; }

    public void Seed(string ring, ReleaseSet at)
    {
        lock (_gate) Record(ring, at, "seed");
    }

    public ReleaseSet? Current(string ring)
    {
        lock (_gate) return History.TryGetValue(ring, out var h) ? h.LastOrDefault(v => v.Succeeded)?.Releases : null;
    }

    /// <summary>The paused stores each apply and restore was given, in call order.</summary>
    public List<(string Ring, IReadOnlySet<string> Paused)> PausedGiven { get; } = [];

    public Task<RingApplyResult> ApplyAsync(string ring, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken)
    {
        lock (_gate) PausedGiven.Add((ring, paused));
        if (FailApply?.Invoke(ring) is { } error) return Task.FromResult(RingApplyResult.Failed(error));
        return Task.FromResult(Apply(ring, release(), $"apply {ring}"));
    }

    /// <summary>Re-applies the ring's current release (the engine's no-op when only pauses change); never the configured one.</summary>
    public Task<RingApplyResult> ReleaseAsync(string ring, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken)
    {
        lock (_gate) PausedGiven.Add((ring, paused));
        if (FailApply?.Invoke(ring) is { } error) return Task.FromResult(RingApplyResult.Failed(error));
        return Task.FromResult(Current(ring) is { } current ? Apply(ring, current, $"release {ring}") : RingApplyResult.Failed($"ring {ring} was never applied"));
    }

    public Task<RingApplyResult> RestoreAsync(string ring, int version, IReadOnlySet<string> paused, string reason, CancellationToken cancellationToken)
    {
        lock (_gate) PausedGiven.Add((ring, paused));
        RingVersion target;
        lock (_gate) target = History[ring].Single(v => v.Version == version);
        return Task.FromResult(Apply(ring, target.Releases, $"restore {ring} v{version}"));
    }

    public Task<RingVersion?> FindVersionAsync(string ring, Func<RingVersion, bool> accept, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(History.TryGetValue(ring, out var h) ? h.AsEnumerable().Reverse().FirstOrDefault(accept) : null);
    }

    private RingApplyResult Apply(string ring, ReleaseSet at, string what)
    {
        RingVersion v;
        lock (_gate)
        {
            var last = History.TryGetValue(ring, out var h) ? h.LastOrDefault(x => x.Succeeded) : null;
            v = last is not null && last.Releases.Equals(at)
                ? Record(ring, at, null, last.Revision) // the engine's no-op up: a history version, no commit
                : Record(ring, at, what);
        }
        AfterCommit?.Invoke(what);
        return new RingApplyResult(true, v.Version, v.Revision, null);
    }

    private RingVersion Record(string ring, ReleaseSet at, string? commit, string? revision = null)
    {
        if (!History.TryGetValue(ring, out var h)) History[ring] = h = [];
        if (commit is not null)
        {
            revision = $"c{++_commits:D3}{new string('0', 37)}";
            Commits.Add($"{commit} {at}");
        }
        var v = new RingVersion(h.Count + 1, true, at, revision);
        h.Add(v);
        return v;
    }
}
