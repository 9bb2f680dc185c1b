using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

public sealed class CrashRecoveryTests
{
    private static DesiredStack Files(int n, string content = "x")
    {
        var spec = new StackSpec("dev");
        for (var i = 0; i < n; i++) spec.File($"f{i}", content);
        return spec.Build();
    }

    private static async Task AssertConvergedAsync(EngineFixture f, DesiredStack desired)
    {
        var state = await f.Backend.LoadAsync("dev");
        Assert.Equal(desired.Resources.Select(r => r.Urn).Order(), state.Resources.Select(r => r.Urn).Order());
        Assert.Empty(state.PendingOperations);
        Assert.Equal(desired.Resources.Select(r => r.Inputs["path"]).Order(), f.Provider.Live.Keys.Order());
        Assert.All(desired.Resources, d => Assert.Equal(d.Inputs["content"], f.Provider.Live[d.Inputs["path"]].Inputs["content"]));
        Assert.False((await f.Engine.PreviewAsync(desired)).HasChanges);
    }

    [Fact]
    public async Task Load_JournalWithTornLastLine_ReplaysTheCompleteRecords()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Files(1));
        var extra = new StackSpec("dev").File("late", "y").Build().Resources[0];
        await using (var held = await f.Backend.LockAsync("dev", LockHolder.Current("t", "test")))
        await using (var w = f.Backend.OpenWriter(held))
            w.Done(Deployer.StateOf(extra, "files/late.yaml", PropertyMap.Empty, null, null));
        var journal = Directory.GetFiles(f.Root, "dev.journal.jsonl", SearchOption.AllDirectories).Single();
        await File.AppendAllTextAsync(journal, """{"t":"done","r":{"urn":"urn:pulumi:dev::edge-infra::test:index:File::tor""");

        var state = await f.Backend.LoadAsync("dev");

        Assert.Equal(["f0", "late"], state.Resources.Select(r => r.Urn.Name));
    }

    [Fact]
    public async Task Load_CorruptRecordInTheMiddle_FailsNamingTheLine()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Files(1));
        var journal = Path.Combine(f.Root, ".pulumi", "stacks", EngineFixture.Project, "dev.journal.jsonl");
        await File.WriteAllTextAsync(journal, "{\"t\":\"resolved\",\"urn\":\"x\"}\n{broken\n{\"t\":\"resolved\",\"urn\":\"y\"}\n");

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await f.Backend.LoadAsync("dev"));

        Assert.Contains("dev.journal.jsonl:2", e.Message);
    }

    [Fact]
    public async Task Up_PublishFails_LeavesPendingOpsThatTheNextUpResolves()
    {
        using var f = new EngineFixture();
        f.Provider.FailComplete = true;

        var failed = await f.Engine.UpAsync(Files(5));
        var pending = (await f.Backend.LoadAsync("dev")).PendingOperations;
        f.Provider.FailComplete = false;
        var next = await f.Engine.UpAsync(Files(5));

        Assert.False(failed.Succeeded);
        Assert.Contains("push rejected", Assert.Single(failed.Failures).Message);
        Assert.Equal(5, pending.Count);
        Assert.Equal(5, next.ResolvedPending);
        Assert.True(next.Succeeded);
        await AssertConvergedAsync(f, Files(5));
    }

    [Fact]
    public async Task Up_CancelledMidApply_NextUpConvergesWithNoLostOrDuplicatedResource()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Files(10, "v1"));
        using var cts = new CancellationTokenSource();
        f.Provider.CancelOn = c => c == "update f4" ? cts : null;

        var cancelled = await f.Engine.UpAsync(Files(10, "v2"), new() { Parallelism = 2 }, null, cts.Token);
        f.Provider.CancelOn = null;
        var next = await f.Engine.UpAsync(Files(10, "v2"));

        Assert.False(cancelled.Succeeded);
        Assert.True(next.Succeeded);
        await AssertConvergedAsync(f, Files(10, "v2"));
    }

    [Fact]
    public async Task Up_AfterKilledRun_TakesTheDeadLockAndResolvesPendingOpsByReading()
    {
        using var f = new EngineFixture();
        var desired = Files(3);
        // A run on this host (pid now dead) journaled three creates; its provider had published only f0.
        var dead = new FileStateBackend(f.Root, EngineFixture.Project, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(f.Time.GetUtcNow()), null);
        var held = await dead.LockAsync("dev", new LockHolder("alice", Environment.MachineName, int.MaxValue - 3, "up"));
        var w = dead.OpenWriter(held);
        w.Begin(UpdateKind.Update, 1, f.Time.GetUtcNow());
        foreach (var d in desired.Resources)
            w.Pending(new PendingOperation(PendingKind.Creating, Deployer.StateOf(d, null, PropertyMap.Empty, null, null), null, null));
        await w.FlushAsync(durable: false);
        var f0 = desired.Resources[0];
        f.Provider.Live["files/f0.yaml"] = new ProviderResult("files/f0.yaml", f0.Inputs, PropertyMap.Of(("id", "files/f0.yaml")));

        var result = await f.Engine.UpAsync(desired);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.ResolvedPending);
        Assert.Equal(["read f0", "read f1", "read f2"], f.Provider.CallList("read"));
        Assert.Equal(["create f1", "create f2"], f.Provider.CallList("create").Order());
        Assert.Equal(1, result.Counts[StepOp.Same]);
        await AssertConvergedAsync(f, desired);
    }

    [Fact]
    public async Task Up_KilledAfterItsProviderPublished_NextUpRecordsTheRevisionTheChangesLandedAt()
    {
        using var f = new EngineFixture();
        var desired = Files(3);
        // Found by the rollout kill drill: a run killed after its push, before it journaled the results. The next run
        // adopts them by reading and has nothing left to publish; without a revision in its history the rollout host
        // could not tell which commit the ring's stores must reach, and held the ring until its hold timeout.
        var dead = new FileStateBackend(f.Root, EngineFixture.Project, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(f.Time.GetUtcNow()), null);
        var held = await dead.LockAsync("dev", new LockHolder("alice", Environment.MachineName, int.MaxValue - 5, "up"));
        var w = dead.OpenWriter(held);
        w.Begin(UpdateKind.Update, 1, f.Time.GetUtcNow());
        foreach (var d in desired.Resources)
        {
            w.Pending(new PendingOperation(PendingKind.Creating, Deployer.StateOf(d, null, PropertyMap.Empty, null, null), null, null));
            var path = d.Inputs["path"];
            f.Provider.Live[path] = new ProviderResult(path, d.Inputs, PropertyMap.Of(("id", path)));
        }
        await w.FlushAsync(durable: false);

        var result = await f.Engine.UpAsync(desired);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.ResolvedPending);
        Assert.Empty(f.Provider.CallList("create"));
        var revision = Assert.Single(result.Revisions).Value;
        Assert.Equal(revision, Assert.Single((await f.Backend.HistoryAsync("dev")).Last().Revisions).Value);
        await AssertConvergedAsync(f, desired);
    }

    [Fact]
    public async Task Refresh_PendingUpdateOfVanishedResource_DropsIt()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Files(2));
        var state = await f.Backend.LoadAsync("dev");
        await using (var held = await f.Backend.LockAsync("dev", LockHolder.Current("t", "test")))
        await using (var w = f.Backend.OpenWriter(held))
            w.Pending(new PendingOperation(PendingKind.Updating, state.Resources[1], state.Resources[1], null));
        f.Provider.Live.TryRemove("files/f1.yaml", out _);

        var refresh = await f.Engine.RefreshAsync("dev");

        Assert.Equal(1, refresh.ResolvedPending);
        var after = await f.Backend.LoadAsync("dev");
        Assert.Equal(["f0"], after.Resources.Select(r => r.Urn.Name));
        Assert.Empty(after.PendingOperations);
    }
}
