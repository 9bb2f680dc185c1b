using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

public sealed class MoveTests
{
    private const string Canary = "prod.canary";
    private const string Early = "prod.early";

    private static DesiredStack Ring(string stack, bool withStore, string content = "labels")
    {
        var spec = new StackSpec(stack).File($"gitrepo-{stack}", "repo");
        if (!withStore) return spec.Build();
        spec.Component("s1", "store/s1");
        spec.File("s1", $"{content} ring={stack}", parent: spec.UrnOf("s1", "test:index:Store"), moveKey: "store/s1/cluster", path: "clusters/s1.yaml");
        return spec.Build();
    }

    private static async Task<EngineFixture> StoreInCanaryAsync()
    {
        var f = new EngineFixture();
        await f.Engine.UpAsync(Ring(Canary, true), new() { Siblings = [Ring(Early, false)] });
        await f.Engine.UpAsync(Ring(Early, false), new() { Siblings = [Ring(Canary, true)] });
        f.Provider.Calls.Clear();
        return f;
    }

    private static async Task AssertSingleOwnerInEarlyAsync(EngineFixture f)
    {
        var canary = await f.Backend.LoadAsync(Canary);
        var early = await f.Backend.LoadAsync(Early);
        Assert.DoesNotContain(canary.Resources, r => r.MoveKey is not null);
        Assert.Equal(["store/s1", "store/s1/cluster"], early.Resources.Where(r => r.MoveKey is not null).Select(r => r.MoveKey!).Order());
        Assert.Empty(f.Provider.CallList("delete"));
        Assert.Equal($"labels ring={Early}", f.Provider.Live["clusters/s1.yaml"].Inputs["content"]);
        Assert.All(early.Resources, r => Assert.Equal(Early, r.Urn.Stack));
        Assert.Empty(canary.PendingOperations);
        Assert.Empty(early.PendingOperations);
    }

    [Fact]
    public async Task Preview_StoreMovedToAnotherRing_ShowsMoveAndMoveOut()
    {
        using var f = await StoreInCanaryAsync();

        var into = await f.Engine.PreviewAsync(Ring(Early, true), new() { Siblings = [Ring(Canary, false)] });
        var outOf = await f.Engine.PreviewAsync(Ring(Canary, false), new() { Siblings = [Ring(Early, true)] });

        Assert.Equal(2, into.Counts[StepOp.Move]);
        Assert.All(into.Steps.Where(s => s.Op == StepOp.Move), s => Assert.Equal(Canary, s.OtherStack));
        Assert.Equal(0, into.Counts[StepOp.Create] + into.Counts[StepOp.Delete]);
        Assert.Equal(2, outOf.Counts[StepOp.MoveOut]);
        Assert.Equal(0, outOf.Counts[StepOp.Delete]);
        Assert.Empty(f.Provider.Calls);
    }

    [Fact]
    public async Task Up_OldRingFirstThenNewRing_NeverDeletesTheStoreFile()
    {
        using var f = await StoreInCanaryAsync();

        var first = await f.Engine.UpAsync(Ring(Canary, false), new() { Siblings = [Ring(Early, true)] });
        var calls = f.Provider.CallList();
        var second = await f.Engine.UpAsync(Ring(Early, true), new() { Siblings = [Ring(Canary, false)] });

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(2, first.Counts[StepOp.MoveOut]);
        Assert.Empty(calls);
        Assert.Equal(["update s1"], f.Provider.CallList());
        await AssertSingleOwnerInEarlyAsync(f);
    }

    [Fact]
    public async Task Up_NewRingFirstThenOldRing_NeverDeletesTheStoreFile()
    {
        using var f = await StoreInCanaryAsync();

        var first = await f.Engine.UpAsync(Ring(Early, true), new() { Siblings = [Ring(Canary, false)] });
        var second = await f.Engine.UpAsync(Ring(Canary, false), new() { Siblings = [Ring(Early, true)] });

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(2, first.Counts[StepOp.Move]);
        Assert.False(second.Plan.HasChanges);
        Assert.Equal(["update s1"], f.Provider.CallList());
        await AssertSingleOwnerInEarlyAsync(f);
    }

    [Fact]
    public async Task Up_MoveWhileSourceRingIsLocked_IsRefusedAndChangesNothing()
    {
        using var f = await StoreInCanaryAsync();
        await using var other = await f.Backend.LockAsync(Canary, new LockHolder("bob", "ci-7", 4242, "up"));

        var e = await Assert.ThrowsAsync<StackLockedException>(() =>
            f.Engine.UpAsync(Ring(Early, true), new() { Siblings = [Ring(Canary, false)] }));

        Assert.Contains("bob@ci-7 (pid 4242", e.Message);
        Assert.Empty(f.Provider.Calls);
        Assert.Equal(2, (await f.Backend.LoadAsync(Canary)).Resources.Count(r => r.MoveKey is not null));
    }

    [Fact]
    public async Task Up_CrashBetweenHandoverRecords_NextRunsKeepOneOwner()
    {
        using var f = await StoreInCanaryAsync();
        // The move-out handed the store to early but died before dropping it from canary.
        var canary = await f.Backend.LoadAsync(Canary);
        var desiredEarly = Ring(Early, true);
        await using (var held = await f.Backend.LockAsync(Early, LockHolder.Current("t", "test")))
        await using (var w = f.Backend.OpenWriter(held))
            foreach (var r in canary.Resources.Where(r => r.MoveKey is not null))
            {
                var target = desiredEarly.Resources.Single(d => d.MoveKey == r.MoveKey);
                w.Done(r with { Urn = target.Urn, Parent = target.Parent });
            }

        var again = await f.Engine.UpAsync(Ring(Canary, false), new() { Siblings = [desiredEarly] });
        await f.Engine.UpAsync(desiredEarly, new() { Siblings = [Ring(Canary, false)] });

        Assert.Equal(2, again.Counts[StepOp.MoveOut]);
        await AssertSingleOwnerInEarlyAsync(f);
    }
}

public sealed class MoveConflictTests
{
    [Fact]
    public async Task Preview_SameMoveKeyWantedByTwoRings_FailsNamingBoth()
    {
        using var f = new EngineFixture();
        var canary = new StackSpec("prod.canary").Component("s1", "store/s1").Build();
        var early = new StackSpec("prod.early").Component("s1", "store/s1").Build();

        var e = await Assert.ThrowsAsync<EdgeInfra.Engine.Planning.PlanException>(() =>
            f.Engine.PreviewAsync(canary, new() { Siblings = [early] }));

        Assert.Contains("move key 'store/s1' is also wanted by stack prod.early", e.Message);
    }
}
