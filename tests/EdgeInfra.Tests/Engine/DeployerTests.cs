using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Tests.Engine;

public sealed class DeployerTests
{
    [Fact]
    public async Task Up_ParentsAndDependsOn_AreAppliedFirstAndDeletedLast()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev");
        var parent = spec.UrnOf("p");
        spec.File("p", "1");
        spec.File("child", "1", parent: parent);
        var child = spec.UrnOf("child", parent: parent);
        spec.File("late", "1", options: ResourceOptions.Default with { DependsOn = [child] });

        await f.Engine.UpAsync(spec.Build(), new() { Parallelism = 8 });
        var creates = f.Provider.CallList("create");
        await f.Engine.UpAsync(new StackSpec("dev").Build(), new() { Parallelism = 8 });
        var deletes = f.Provider.CallList("delete");

        Assert.Equal(["create p", "create child", "create late"], creates);
        Assert.Equal(["delete late", "delete child", "delete p"], deletes);
    }

    [Fact]
    public async Task Up_ManyIndependentSteps_RunInParallelWithinTheLimit()
    {
        using var f = new EngineFixture();
        f.Provider.Delay = TimeSpan.FromMilliseconds(5);
        var spec = new StackSpec("dev");
        for (var i = 0; i < 40; i++) spec.File($"f{i}", "x");

        var result = await f.Engine.UpAsync(spec.Build(), new() { Parallelism = 3 });

        Assert.True(result.Succeeded);
        Assert.Equal(40, result.Counts[StepOp.Create]);
        Assert.Equal(3, f.Provider.MaxConcurrency);
    }

    [Fact]
    public async Task Up_WithChanges_BeginsAndCompletesEachProviderOnceWithTheChangeDescription()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev").File("a", "1").File("b", "1").Component("store");

        var result = await f.Engine.UpAsync(spec.Build(), new() { Message = "bump", Trailers = [new("Edge-Ring", "canary")] });

        Assert.Equal((1, 1), (f.Provider.Begins, f.Provider.Completes));
        Assert.Equal("dev", f.Provider.LastChange!.Stack);
        Assert.Equal("bump", f.Provider.LastChange.Message);
        Assert.Equal("canary", Assert.Single(f.Provider.LastChange.Trailers).Value);
        Assert.Equal("rev-1", result.Revisions["fake"]);
        Assert.Equal(3, result.Counts[StepOp.Create]);
    }

    [Fact]
    public async Task Up_NoOp_CallsNoProviderAndLeavesTheCheckpointUntouched()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev").File("a", "1").Component("store");
        await f.Engine.UpAsync(spec.Build());
        var checkpoint = Directory.GetFiles(f.Root, "dev.json", SearchOption.AllDirectories).Single();
        var before = (File.ReadAllBytes(checkpoint), File.GetLastWriteTimeUtc(checkpoint));
        f.Provider.Calls.Clear();

        var result = await f.Engine.UpAsync(spec.Build());

        Assert.True(result.Succeeded);
        Assert.False(result.Plan.HasChanges);
        Assert.Empty(f.Provider.Calls);
        Assert.Equal((1, 1), (f.Provider.Begins, f.Provider.Completes));
        Assert.Equal(before.Item1, File.ReadAllBytes(checkpoint));
        Assert.Equal(before.Item2, File.GetLastWriteTimeUtc(checkpoint));
        Assert.Empty(Directory.GetFiles(f.Root, "*.journal.jsonl", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Up_StepFails_StopsSchedulingAndRecordsWhatCompleted()
    {
        using var f = new EngineFixture();
        f.Provider.FailOn = c => c == "create b";
        var spec = new StackSpec("dev");
        spec.File("a", "1");
        spec.File("b", "1", options: ResourceOptions.Default with { DependsOn = [spec.UrnOf("a")] });
        spec.File("c", "1", options: ResourceOptions.Default with { DependsOn = [spec.UrnOf("b")] });

        var result = await f.Engine.UpAsync(spec.Build(), new() { Parallelism = 1 });

        Assert.False(result.Succeeded);
        Assert.Contains("boom: create b", Assert.Single(result.Failures).Message);
        Assert.Equal(["create a", "create b"], f.Provider.CallList("create"));
        var state = await f.Backend.LoadAsync("dev");
        Assert.Equal([spec.UrnOf("a")], state.Resources.Select(r => r.Urn));
        // The failed call may have staged something: its pending op is left for the next run to read back.
        Assert.Equal([spec.UrnOf("b")], state.PendingOperations.Select(p => p.Resource.Urn));
        Assert.Equal(UpdateResultKindOf(await f.Backend.HistoryAsync("dev")), EdgeInfra.Engine.State.UpdateResultKind.Failed);
    }

    [Fact]
    public async Task Up_Replace_CreatesBeforeDeletingUnlessDeleteBeforeReplace()
    {
        using var f = new EngineFixture();
        var dbr = ResourceOptions.Default with { DeleteBeforeReplace = true };
        await f.Engine.UpAsync(new StackSpec("dev").File("a", "1", path: "a1").File("b", "1", path: "b1", options: dbr).Build());
        f.Provider.Calls.Clear();

        var result = await f.Engine.UpAsync(new StackSpec("dev").File("a", "1", path: "a2").File("b", "1", path: "b2", options: dbr).Build(),
            new() { Parallelism = 1 });

        Assert.Equal(2, result.Counts[StepOp.Replace]);
        Assert.Equal(["create a", "delete a", "delete b", "create b"], f.Provider.CallList());
        Assert.Equal(["a2", "b2"], f.Provider.Live.Keys.Order());
    }

    [Fact]
    public async Task Destroy_ProtectedResource_FailsBeforeTouchingAnything()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(new StackSpec("dev").File("a", "1").File("b", "1", options: ResourceOptions.Default with { Protect = true }).Build());
        f.Provider.Calls.Clear();

        await Assert.ThrowsAsync<PlanException>(() => f.Engine.DestroyAsync("dev"));

        Assert.Empty(f.Provider.Calls);
        Assert.Equal(2, (await f.Backend.LoadAsync("dev")).Resources.Count);
    }

    [Fact]
    public async Task Destroy_DeletesEverythingInReverseOrder()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev");
        spec.File("p", "1");
        spec.File("c", "1", parent: spec.UrnOf("p"));
        await f.Engine.UpAsync(spec.Build());

        var result = await f.Engine.DestroyAsync("dev");

        Assert.True(result.Succeeded);
        Assert.Equal(["delete c", "delete p"], f.Provider.CallList("delete"));
        Assert.Empty((await f.Backend.LoadAsync("dev")).Resources);
        Assert.Empty(f.Provider.Live);
    }

    [Fact]
    public async Task Refresh_DriftAndMissing_AreReportedAndAdopted()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev").File("a", "1").File("b", "1");
        await f.Engine.UpAsync(spec.Build());
        var live = f.Provider.Live["files/a.yaml"];
        f.Provider.Live["files/a.yaml"] = live with { Inputs = live.Inputs.With("content", "edited") };
        f.Provider.Live.TryRemove("files/b.yaml", out _);

        var preview = await f.Engine.RefreshAsync("dev", new() { PreviewOnly = true });
        var unchanged = await f.Backend.LoadAsync("dev");
        var refresh = await f.Engine.RefreshAsync("dev");
        var plan = await f.Engine.PreviewAsync(spec.Build());

        Assert.Equal(2, preview.Drift.Count);
        Assert.Equal(2, unchanged.Resources.Count);
        Assert.Equal(new PropertyDiff("content", PropertyDiffKind.Update, "1", "edited"), Assert.Single(refresh.Drift.First(d => !d.Missing).InputDiffs));
        Assert.True(refresh.Drift.Single(d => d.Urn == spec.UrnOf("b")).Missing);
        Assert.Equal([StepOp.Update, StepOp.Create], plan.Steps.Select(s => s.Op));
    }

    [Fact]
    public async Task Up_ExpectNoChangesWithChanges_FailsWithoutApplying()
    {
        using var f = new EngineFixture();

        var result = await f.Engine.UpAsync(new StackSpec("dev").File("a", "1").Build(), new() { ExpectNoChanges = true });

        Assert.False(result.Succeeded);
        Assert.Empty(f.Provider.Calls);
        Assert.Empty(await f.Backend.HistoryAsync("dev"));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public async Task Up_SecondRunWithoutChanges_RecordsAVersionUnlessSkipUnchanged(bool skipUnchanged, int versions)
    {
        using var f = new EngineFixture();
        var desired = new StackSpec("dev").File("a", "1").Build();
        await f.Engine.UpAsync(desired);
        var calls = f.Provider.Calls.Count;

        var second = await f.Engine.UpAsync(desired, new() { SkipUnchanged = skipUnchanged });

        Assert.True(second.Succeeded);
        Assert.Equal(calls, f.Provider.Calls.Count);
        Assert.Equal(versions, (await f.Backend.HistoryAsync("dev")).Count);
        Assert.Equal(skipUnchanged ? null : 2, second.Version);
    }

    [Fact]
    public async Task Up_SkipUnchangedWithChanges_AppliesThemOnce()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(new StackSpec("dev").File("a", "1").Build());

        var result = await f.Engine.UpAsync(new StackSpec("dev").File("a", "2").Build(), new() { SkipUnchanged = true });

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Version);
        Assert.Equal([StepOp.Update], result.Plan.Steps.Where(s => s.Op != StepOp.Same).Select(s => s.Op));
    }

    private static EdgeInfra.Engine.State.UpdateResultKind? UpdateResultKindOf(IReadOnlyList<EdgeInfra.Engine.State.HistoryEntry> h) => h[^1].Result;
}

public sealed class ProgressTests
{
    private sealed class Recorder : IProgress<StepEvent>
    {
        public System.Collections.Concurrent.ConcurrentQueue<StepEvent> Events { get; } = new();
        public void Report(StepEvent value) => Events.Enqueue(value);
    }

    [Fact]
    public async Task Up_Progress_ReportsEachChangedStepAndThePublish()
    {
        using var f = new EngineFixture();
        var progress = new Recorder();

        await f.Engine.UpAsync(new StackSpec("dev").Component("store").File("a", "1").Build(), null, progress);

        var events = progress.Events.ToList();
        Assert.Contains(events, e => e is { Kind: StepEventKind.StepStarted, Op: StepOp.Create } && e.Urn!.Value.Name == "a");
        Assert.Equal(2, events.Count(e => e.Kind == StepEventKind.StepSucceeded));
        Assert.Equal("rev-1", Assert.Single(events, e => e.Kind == StepEventKind.ProviderCompleted).Message);
    }
}

public sealed class ReplaceFailureTests
{
    [Fact]
    public async Task Up_ReplaceWhoseOldDeleteFails_OwnsTheReplacementAndNamesTheLeftover()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(new StackSpec("dev").File("a", "1", path: "a1").Build());
        f.Provider.FailOn = c => c == "delete a";

        var result = await f.Engine.UpAsync(new StackSpec("dev").File("a", "1", path: "a2").Build());

        Assert.False(result.Succeeded);
        Assert.Contains("could not delete the old resource (id a1)", Assert.Single(result.Failures).Message);
        var state = await f.Backend.LoadAsync("dev");
        Assert.Equal("a2", Assert.Single(state.Resources).Id);
        Assert.Empty(state.PendingOperations);
    }
}
