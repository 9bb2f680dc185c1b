using EdgeInfra.Automation;

namespace EdgeInfra.Service.Status;

/// <summary>The stack's status as last read from the hub, shared by every caller and re-read when older than
/// <see cref="MaxAge"/>.</summary>
/// <remarks>
/// Reading the hub means listing every Cluster and BundleDeployment of the fleet: at 10,000 stores that is seconds of
/// work for the hub and for us. A dashboard polls, and pages through stores; each page must not cost a fleet read. One
/// read serves every caller for a few seconds, concurrent callers wait for the same read, and each answer says when
/// its data was read (<c>asOf</c>), so nobody mistakes it for live. A read older than <see cref="MaxAge"/> but younger
/// than the stale limit is still answered at once while a new read runs in the background: no page change or poll
/// waits seconds for a fleet read it did not ask for. Older than that, or after <see cref="Invalidate"/>, or with
/// <c>fresh</c>, the caller waits for a new read.
/// </remarks>
internal sealed class StatusSnapshots(EdgeInfraStack stack, TimeProvider time, TimeSpan maxAge, TimeSpan staleLimit)
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Lock _gate = new();
    private StatusSnapshot? _last;
    private Task _refreshing = Task.CompletedTask;

    public TimeSpan MaxAge => maxAge;

    /// <summary>The background read started by the last stale answer (completed when none runs).</summary>
    internal Task Refreshing { get { lock (_gate) return _refreshing; } }

    /// <summary>The last read when it is fresh enough (or stale within the limit, refreshed behind it), else a new one.</summary>
    /// <param name="fresh">Read the hub now whatever the age of the last read (after a change the caller made).</param>
    public async Task<StatusSnapshot> GetAsync(bool fresh, CancellationToken ct)
    {
        var asked = time.GetUtcNow();
        if (!fresh && _last is { } last)
        {
            var age = asked - last.AsOf;
            if (age < maxAge) return last;
            if (age < staleLimit)
            {
                RefreshInBackground(asked);
                return last;
            }
        }
        return await ReadAsync(asked, ct);
    }

    /// <summary>Forgets the last read, so the next caller sees what a decision just changed.</summary>
    public void Invalidate() => _last = null;

    private void RefreshInBackground(DateTimeOffset asked)
    {
        lock (_gate)
        {
            if (!_refreshing.IsCompleted) return;
            // A failed background read is not anyone's answer: the next caller past the limit reads and sees the error.
            _refreshing = Task.Run(() => ReadAsync(asked, CancellationToken.None))
                .ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task<StatusSnapshot> ReadAsync(DateTimeOffset asked, CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            // Another caller may have read while this one waited: its read is newer than this call.
            if (_last is { } other && other.AsOf >= asked) return other;
            var report = await stack.StatusAsync(ct: ct);
            var snapshot = StatusSnapshot.From(report, stack.Controls(), stack.LastRollout(), asked, await stack.AppliedReleasesAsync(report.Rings.Select(r => r.Ring), ct));
            _last = snapshot;
            ServiceMemory.TrimAfterLoad(time);
            return snapshot;
        }
        finally
        {
            _reading.Release();
        }
    }

}
