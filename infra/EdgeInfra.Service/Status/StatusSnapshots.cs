using EdgeInfra.Automation;
using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Service.Status;

/// <summary>The stack's status as last read from the hub, shared by every caller and re-read when older than
/// <see cref="MaxAge"/>.</summary>
/// <remarks>
/// Reading the hub means listing every Cluster and BundleDeployment of the fleet: at 10,000 stores that is seconds of
/// work for the hub and for us. A dashboard polls, and pages through stores; each page must not cost a fleet read. One
/// read serves every caller for a few seconds, concurrent callers wait for the same read, and each answer says when
/// its data was read (<c>asOf</c>), so nobody mistakes it for live.
/// </remarks>
internal sealed class StatusSnapshots(EdgeInfraStack stack, TimeProvider time, TimeSpan maxAge)
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Snapshot? _last;

    public TimeSpan MaxAge => maxAge;

    /// <summary>The last read when it is fresh enough, else a new one.</summary>
    /// <param name="fresh">Read the hub now whatever the age of the last read (after a change the caller made).</param>
    public async Task<Snapshot> GetAsync(bool fresh, CancellationToken ct)
    {
        var asked = time.GetUtcNow();
        if (!fresh && _last is { } last && asked - last.AsOf < maxAge) return last;
        await _reading.WaitAsync(ct);
        try
        {
            // Another caller may have read while this one waited: its read is newer than this call.
            if (_last is { } other && other.AsOf >= asked) return other;
            var report = await stack.StatusAsync(ct: ct);
            var snapshot = new Snapshot(report, stack.Controls(), stack.LastRollout(), asked);
            _last = snapshot;
            ServiceMemory.TrimAfterLoad();
            return snapshot;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Forgets the last read, so the next caller sees what a decision just changed.</summary>
    public void Invalidate() => _last = null;

    /// <summary>One read of the hub with the freeze and holds in force at that time, and the stack's latest rollout walk.</summary>
    internal sealed record Snapshot(StackStatusReport Report, StackControls Controls, RolloutState? Walk, DateTimeOffset AsOf);
}
