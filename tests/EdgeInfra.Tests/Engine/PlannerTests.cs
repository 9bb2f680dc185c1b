using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Tests.Engine;

public sealed class PlannerTests
{
    public static TheoryData<string, string?, string?, string?, string?, StepOp> OpsTable => new()
    {
        // case, old path, old content, new path, new content, expected
        { "unchanged", "a.yaml", "x", "a.yaml", "x", StepOp.Same },
        { "new", null, null, "a.yaml", "x", StepOp.Create },
        { "content changed", "a.yaml", "x", "a.yaml", "y", StepOp.Update },
        { "replace key changed", "a.yaml", "x", "b.yaml", "x", StepOp.Replace },
        { "gone", "a.yaml", "x", null, null, StepOp.Delete },
    };

    [Theory]
    [MemberData(nameof(OpsTable))]
    public async Task Preview_OldVersusNew_GivesExpectedOp(string name, string? oldPath, string? oldContent,
        string? newPath, string? newContent, StepOp expected)
    {
        using var f = new EngineFixture();
        var before = new StackSpec("dev");
        if (oldPath is not null) before.File("r", oldContent!, path: oldPath);
        await f.Engine.UpAsync(before.Build());
        var after = new StackSpec("dev");
        if (newPath is not null) after.File("r", newContent!, path: newPath);

        var plan = await f.Engine.PreviewAsync(after.Build());

        var step = Assert.Single(plan.Steps);
        Assert.True(expected == step.Op, name);
        Assert.Equal(expected != StepOp.Same, plan.HasChanges);
    }

    [Fact]
    public async Task Preview_UpdateStep_CarriesPropertyDiffs()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(new StackSpec("dev").File("r", "old").Build());

        var step = Assert.Single((await f.Engine.PreviewAsync(new StackSpec("dev").File("r", "new").Build())).Steps);

        var diff = Assert.Single(step.Diffs);
        Assert.Equal(new PropertyDiff("content", PropertyDiffKind.Update, "old", "new"), diff);
        Assert.Equal("old", step.Old!.Inputs["content"]);
        Assert.Equal("new", step.New!.Inputs["content"]);
    }

    [Fact]
    public async Task Preview_SecretChanged_DiffIsMasked()
    {
        using var f = new EngineFixture(new FakeSecrets());
        await f.Engine.UpAsync(new StackSpec("dev").File("r", "hunter2", secret: true).Build());

        var step = Assert.Single((await f.Engine.PreviewAsync(new StackSpec("dev").File("r", "hunter3", secret: true).Build())).Steps);

        Assert.Equal(StepOp.Update, step.Op);
        Assert.Equal(new PropertyDiff("content", PropertyDiffKind.Update, "[secret]", "[secret]"), Assert.Single(step.Diffs));
    }

    [Theory]
    [InlineData("content", StepOp.Replace)]
    [InlineData("*", StepOp.Replace)]
    [InlineData("other", StepOp.Update)]
    public async Task Preview_ReplaceOnChanges_ForcesReplaceOnlyForListedKeys(string key, StepOp expected)
    {
        using var f = new EngineFixture();
        var options = ResourceOptions.Default with { ReplaceOnChanges = [key] };
        await f.Engine.UpAsync(new StackSpec("dev").File("r", "a", options: options).Build());

        var step = Assert.Single((await f.Engine.PreviewAsync(new StackSpec("dev").File("r", "b", options: options).Build())).Steps);

        Assert.Equal(expected, step.Op);
        if (expected == StepOp.Replace) Assert.Equal(["content"], step.ReplaceReasons.ToArray());
    }

    [Fact]
    public async Task Up_IgnoreChanges_KeepsOldValueAfterCreate()
    {
        using var f = new EngineFixture();
        var options = ResourceOptions.Default with { IgnoreChanges = ["content"] };
        await f.Engine.UpAsync(new StackSpec("dev").File("r", "first", options: options).Build());

        var plan = await f.Engine.PreviewAsync(new StackSpec("dev").File("r", "second", options: options).Build());
        await f.Engine.UpAsync(new StackSpec("dev").File("r", "second", options: options).Build());

        Assert.Equal(StepOp.Same, Assert.Single(plan.Steps).Op);
        Assert.Equal("first", (await f.Backend.LoadAsync("dev")).Resources.Single().Inputs["content"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Preview_ProtectedResourceDeletedOrReplaced_FailsNamingIt(bool replace)
    {
        using var f = new EngineFixture();
        var options = ResourceOptions.Default with { Protect = true };
        var spec = new StackSpec("dev").File("keep", "x", options: options);
        await f.Engine.UpAsync(spec.Build());
        var next = replace ? new StackSpec("dev").File("keep", "x", options: options, path: "moved.yaml") : new StackSpec("dev");

        var e = await Assert.ThrowsAsync<PlanException>(() => f.Engine.PreviewAsync(next.Build()));

        Assert.Contains(spec.UrnOf("keep").Value, e.Message);
        Assert.Contains("protected", e.Message);
        Assert.Contains(replace ? "replaced" : "deleted", e.Message);
    }

    [Fact]
    public async Task Up_WithTarget_UntargetedResourcesKeepTheirOldState()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(new StackSpec("dev").File("a", "1").File("b", "1").Build());
        var next = new StackSpec("dev").File("a", "2").File("b", "2").File("c", "new");

        var result = await f.Engine.UpAsync(next.Build(), new() { Targets = ["urn:pulumi:dev::edge-infra::test:index:File::a"] });

        Assert.True(result.Succeeded);
        var state = (await f.Backend.LoadAsync("dev")).ByUrn;
        Assert.Equal("2", state[next.UrnOf("a")].Inputs["content"]);
        Assert.Equal("1", state[next.UrnOf("b")].Inputs["content"]);
        Assert.False(state.ContainsKey(next.UrnOf("c")));
        Assert.Equal(["update a"], f.Provider.CallList("update").Concat(f.Provider.CallList("create c")).ToList());
    }

    [Theory]
    [InlineData("urn:pulumi:dev::edge-infra::*::a", 1)]
    [InlineData("urn:pulumi:dev::edge-infra::**", 2)]
    [InlineData("urn:pulumi:dev::*::a", 0)] // * never crosses a :: segment boundary
    public async Task Preview_TargetGlobs_MatchBySegment(string glob, int changes)
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(new StackSpec("dev").File("a", "1").File("b", "1").Build());

        var plan = await f.Engine.PreviewAsync(new StackSpec("dev").File("a", "2").File("b", "2").Build(), new() { Targets = [glob] });

        Assert.Equal(changes, plan.Steps.Count(s => s.Op != StepOp.Same));
    }

    [Fact]
    public async Task Preview_TargetDependsOnUntargetedCreate_Fails()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev");
        var a = spec.UrnOf("a");
        spec.File("a", "1").File("b", "1", options: ResourceOptions.Default with { DependsOn = [a] });

        var e = await Assert.ThrowsAsync<PlanException>(() =>
            f.Engine.PreviewAsync(spec.Build(), new() { Targets = [spec.UrnOf("b").Value] }));

        Assert.Contains($"Resource '{spec.UrnOf("b")}' depends on '{a}' which was not specified in --target list", e.Message);
    }

    [Fact]
    public async Task Preview_UnknownProviderAndUndeclaredDependency_ReportsBoth()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev").File("a", "1", options: ResourceOptions.Default with { DependsOn = [new StackSpec("dev").UrnOf("ghost")] });
        var desired = spec.Build();
        desired = desired with { Resources = [.. desired.Resources, desired.Resources[0] with { Urn = spec.UrnOf("z"), Provider = "nope", Options = ResourceOptions.Default }] };

        var e = await Assert.ThrowsAsync<PlanException>(() => f.Engine.PreviewAsync(desired));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("unknown provider 'nope'"));
        Assert.Contains(e.Problems, p => p.Contains("ghost"));
    }
}
