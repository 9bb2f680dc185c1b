using EdgeInfra.Automation;
using EdgeInfra.Service.Status;
using EdgeInfra.Tests.Cli;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Service;

/// <summary>The service's shared status reads over the real lab hub: fresh answers, stale answers refreshed behind them,
/// and when a caller has to wait for a new read.</summary>
public sealed class StatusSnapshotsTests : IDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StaleLimit = TimeSpan.FromSeconds(60);

    private readonly LabProject _lab = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetAsync_WithinMaxAge_AnswersTheSameRead()
    {
        var snapshots = Snapshots();
        var first = await snapshots.GetAsync(fresh: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));

        var again = await snapshots.GetAsync(fresh: false, CancellationToken.None);

        Assert.Same(first, again);
        Assert.True(snapshots.Refreshing.IsCompleted);
    }

    [Fact]
    public async Task GetAsync_PastMaxAgeWithinTheStaleLimit_AnswersTheLastReadAtOnceAndReadsAgainBehindIt()
    {
        var snapshots = Snapshots();
        var first = await snapshots.GetAsync(fresh: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));

        var stale = await snapshots.GetAsync(fresh: false, CancellationToken.None);
        await snapshots.Refreshing;
        var next = await snapshots.GetAsync(fresh: false, CancellationToken.None);

        Assert.Same(first, stale);
        Assert.NotSame(first, next);
        Assert.Equal(first.AsOf + TimeSpan.FromSeconds(30), next.AsOf);
    }

    [Theory]
    [InlineData(61, false, false)]
    [InlineData(1, true, false)]
    [InlineData(30, false, true)]
    public async Task GetAsync_PastTheStaleLimitFreshOrInvalidated_WaitsForANewRead(int seconds, bool fresh, bool invalidate)
    {
        var snapshots = Snapshots();
        var first = await snapshots.GetAsync(fresh: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(seconds));
        if (invalidate) snapshots.Invalidate();

        var answer = await snapshots.GetAsync(fresh, CancellationToken.None);

        Assert.NotSame(first, answer);
        Assert.Equal(_time.GetUtcNow(), answer.AsOf);
        Assert.True(snapshots.Refreshing.IsCompleted);
    }

    private StatusSnapshots Snapshots() =>
        new(EdgeInfraWorkspace.Load(_lab.Dir, TimeProvider.System).Stack("lab"), _time, MaxAge, StaleLimit);

    public void Dispose() => _lab.Dispose();
}
