using EdgeInfra.Engine;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

public sealed class HistoryTests
{
    private static DesiredStack Version(string content, bool secret = false) =>
        new StackSpec("prod.canary").Component("store", "store/s1", ("labels.region", "eu"))
            .File("a", content, options: ResourceOptions.Default with { IgnoreChanges = ["x"], Protect = false, DeleteBeforeReplace = true }, moveKey: "k/a", secret: secret)
            .File("b", "fixed").Build();

    [Fact]
    public async Task History_EachRun_GetsTheNextVersionWithItsStartAndEnd()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Version("1"), new() { Actor = "alice", Message = "first", SourceCommit = "abc123" });
        f.Time.Advance(TimeSpan.FromMinutes(1));
        await f.Engine.UpAsync(Version("2"), new() { Actor = "bob", Message = "second" });
        await f.Engine.RefreshAsync("prod.canary", new() { Actor = "carol" });
        f.Provider.FailOn = _ => true;
        await f.Engine.UpAsync(Version("3"));

        var history = await f.Backend.HistoryAsync("prod.canary");

        Assert.Equal([1, 2, 3, 4], history.Select(h => h.Version));
        Assert.Equal([UpdateKind.Update, UpdateKind.Update, UpdateKind.Refresh, UpdateKind.Update], history.Select(h => h.Kind));
        Assert.Equal(("alice", "first", "abc123"), (history[0].Actor, history[0].Message, history[0].SourceCommit));
        Assert.Equal(f.Time.GetUtcNow() - TimeSpan.FromMinutes(1), history[0].Started);
        Assert.Equal(3, history[0].Changes["create"]);
        Assert.Equal("rev-1", history[0].Revisions["fake"]);
        Assert.Equal([UpdateResultKind.Succeeded, UpdateResultKind.Succeeded, UpdateResultKind.Succeeded, UpdateResultKind.Failed],
            history.Select(h => h.Result!.Value));
        Assert.Equal([true, true, false, true], history.Select(h => h.HasDesired));
    }

    [Fact]
    public async Task History_IsWrittenWhenTheRunStarts()
    {
        using var f = new EngineFixture();
        IReadOnlyList<HistoryEntry>? during = null;
        f.Provider.FailOn = _ =>
        {
            during ??= f.Backend.HistoryAsync("prod.canary").AsTask().GetAwaiter().GetResult();
            return false;
        };

        await f.Engine.UpAsync(Version("1"), new() { Message = "in flight" });

        var entry = Assert.Single(during!);
        Assert.Equal("in flight", entry.Message);
        Assert.Null(entry.Result);
    }

    [Fact]
    public async Task LoadHistoryDesiredAsync_ReturnsTheRecordedDesiredStackWhichCanBeReapplied()
    {
        using var f = new EngineFixture(new FakeSecrets());
        var v1 = Version("one", secret: true);
        await f.Engine.UpAsync(v1);
        await f.Engine.UpAsync(Version("two", secret: true));

        var loaded = await f.Backend.LoadHistoryDesiredAsync("prod.canary", 1);
        var rollback = await f.Engine.UpAsync(loaded, new() { Message = "rollback to v1" });

        Assert.Equal(v1.Stack, loaded.Stack);
        Assert.Equal(v1.Outputs, loaded.Outputs);
        Assert.Equal(v1.Resources.Length, loaded.Resources.Length);
        foreach (var (want, got) in v1.Resources.Zip(loaded.Resources))
        {
            Assert.Equal((want.Urn, want.Custom, want.Parent, want.Provider, want.Inputs, want.MoveKey),
                (got.Urn, got.Custom, got.Parent, got.Provider, got.Inputs, got.MoveKey));
            Assert.True(want.SecretInputs.SetEquals(got.SecretInputs));
            Assert.Equal(want.Options.IgnoreChanges.ToArray(), got.Options.IgnoreChanges.ToArray());
            Assert.Equal(want.Options.DeleteBeforeReplace, got.Options.DeleteBeforeReplace);
        }
        Assert.Equal(1, rollback.Counts[EdgeInfra.Engine.Planning.StepOp.Update]);
        Assert.Equal("one", f.Provider.Live["files/a.yaml"].Inputs["content"]);
    }

    [Fact]
    public async Task LoadHistoryDesiredAsync_VersionsSharingResourceObjects_ReturnEachVersionAsApplied()
    {
        // Enough resources for several chunks; the next versions reuse the first's resource objects (as a ring's window
        // releases do), one changed, then all of them again, in this backend and in another one.
        var spec = new StackSpec("prod.canary");
        for (var i = 0; i < 300; i++) spec.File($"f{i:000}", $"content {i}", secret: i == 7);
        var v1 = spec.Build();
        var changed = new StackSpec("prod.canary").File("f150", "changed").Build().Resources.Single();
        var v2 = v1 with { Resources = v1.Resources.SetItem(150, changed) };
        using var f = new EngineFixture(new FakeSecrets());
        using var other = new EngineFixture(new FakeSecrets());

        foreach (var desired in new[] { v1, v2, v1 }) await f.Engine.UpAsync(desired);
        await other.Engine.UpAsync(v1);

        foreach (var (backend, version, want) in new[] { (f.Backend, 1, v1), (f.Backend, 2, v2), (f.Backend, 3, v1), (other.Backend, 1, v1) })
        {
            var loaded = await backend.LoadHistoryDesiredAsync("prod.canary", version);
            Assert.Equal(want.Resources.Select(r => (r.Urn, r.Inputs["content"])), loaded.Resources.Select(r => (r.Urn, r.Inputs["content"])));
        }
    }

    [Fact]
    public async Task LoadHistoryDesiredAsync_RefreshOrUnknownVersion_IsABadInput()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Version("1"));
        await f.Engine.RefreshAsync("prod.canary");

        var refresh = await Assert.ThrowsAsync<InputException>(async () => await f.Backend.LoadHistoryDesiredAsync("prod.canary", 2));
        var missing = await Assert.ThrowsAsync<InputException>(async () => await f.Backend.LoadHistoryDesiredAsync("prod.canary", 9));

        Assert.Contains("refresh", refresh.Message);
        Assert.Contains("no history version 9", missing.Message);
    }

    [Fact]
    public async Task History_RepeatedIdenticalDesiredState_IsStoredOnce()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Version("1"));
        await f.Engine.UpAsync(Version("1"));
        await f.Engine.UpAsync(Version("2"));

        var blobs = Directory.GetFiles(f.Root, "*.json.gz", SearchOption.AllDirectories);

        Assert.Equal(2, blobs.Length);
        Assert.Equal("1", (await f.Backend.LoadHistoryDesiredAsync("prod.canary", 2)).Resources[1].Inputs["content"]);
    }

    [Fact]
    public async Task Backend_Layout_FollowsPulumisDiyTree()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Version("1"));
        await f.Engine.UpAsync(new StackSpec("prod").File("hub", "x").Build());

        var pulumi = Path.Combine(f.Root, ".pulumi");
        Assert.True(File.Exists(Path.Combine(pulumi, "meta.yaml")));
        Assert.True(File.Exists(Path.Combine(pulumi, "stacks", "edge-infra", "prod.canary.json")));
        Assert.True(File.Exists(Path.Combine(pulumi, "history", "edge-infra", "prod.canary", "v000001.start.json")));
        Assert.True(File.Exists(Path.Combine(pulumi, "history", "edge-infra", "prod.canary", "v000001.end.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(pulumi, "locks", "edge-infra")));
        Assert.Equal(["prod", "prod.canary"], f.Backend.ListStacks());
    }
}

public sealed class StackNameTests
{
    [Theory]
    [InlineData("../evil")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public async Task Backend_InvalidStackName_IsABadInput(string stack)
    {
        using var f = new EngineFixture();

        await Assert.ThrowsAsync<EdgeInfra.Engine.InputException>(async () => await f.Backend.LoadAsync(stack));
        await Assert.ThrowsAsync<EdgeInfra.Engine.InputException>(async () => await f.Backend.LockAsync(stack, LockHolder.Current("a", "up")));
        await Assert.ThrowsAsync<EdgeInfra.Engine.InputException>(async () => await f.Backend.HistoryAsync(stack));
    }
}
