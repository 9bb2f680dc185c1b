using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Tests.Rollout.Persistence;

public sealed class CatchUpStoreTests : IDisposable
{
    private static readonly DateTimeOffset Since = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("catchup-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void List_AnotherWriterReplacedTheFile_ReadsTheNewList()
    {
        var paths = new RolloutPaths(_dir);
        var walker = new CatchUpStore(paths);
        var operatorSide = new CatchUpStore(paths);
        operatorSide.Save([Entry("store-a", paused: true)]);
        Assert.True(Assert.Single(walker.List()).Paused);

        // The walker keeps what it read until the file is replaced: an approval or release written by another process
        // (or instance) must be seen at its next read, even one of the same length.
        operatorSide.Save([Entry("store-a", paused: false)]);
        Assert.False(Assert.Single(walker.List()).Paused);
        operatorSide.Save([Entry("store-a", paused: false), Entry("store-b", paused: true)]);
        Assert.Equal(["store-a", "store-b"], walker.List().Select(e => e.Store));
        File.Delete(paths.CatchUp);
        Assert.Empty(walker.List());
    }

    [Fact]
    public void List_AfterItsOwnSave_EqualsWhatAnotherReaderReads()
    {
        var paths = new RolloutPaths(_dir);
        var walker = new CatchUpStore(paths);
        walker.List();
        walker.Save([
            Entry("store-b", paused: true) with { Cause = CatchUpCause.Window, Ring = "early" },
            Entry("store-a", paused: false) with { ReleasedAt = Since.AddMinutes(90), ReleaseRevision = "abc123", ApprovedBy = "ops", ApprovedAt = Since },
        ]);

        // The walker keeps what it wrote rather than reading it back: it must be what the file says, in the file's order.
        Assert.Equal(new CatchUpStore(paths).List(), walker.List());
        Assert.Equal(["store-a", "store-b"], walker.List().Select(e => e.Store));
    }

    private static CatchUpEntry Entry(string store, bool paused) =>
        new(store, "canary", ChangeClass.NextWindow, "pos-app=2.5.0", null, Since, paused);
}
