using System.Collections.Immutable;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

public sealed class ScaleTests
{
    [Fact]
    public void PlanAndCheckpoint_FortyThousandResources_RoundTrip()
    {
        using var f = new EngineFixture();
        const int n = 40_000;
        var root = Urn.Create("prod.all", EngineFixture.Project, Urn.StackRootType, "edge-infra-prod.all");
        var filler = new string('x', 480);
        var resources = ImmutableArray.CreateBuilder<DesiredResource>(n);
        for (var i = 0; i < n; i++)
        {
            var urn = Urn.CreateChild(root, "test:index:File", $"f{i}");
            resources.Add(new DesiredResource(urn, true, root, "fake",
                PropertyMap.Of(("path", $"clusters/store-{i}.yaml"), ("content", filler + i)), ResourceOptions.Default) { MoveKey = $"store/{i}" });
        }
        var desired = new DesiredStack("prod.all", EngineFixture.Project, resources.MoveToImmutable(), ImmutableSortedDictionary<string, string>.Empty);
        var planner = new Planner((_, _) => new HashSet<string> { "path" });

        var create = planner.Plan(desired, StackSnapshot.Empty("prod.all"), [], []);
        var states = desired.Resources.Select(d => Deployer.StateOf(d, d.Inputs["path"], PropertyMap.Empty, null, null)).ToList();
        var path = Path.Combine(f.Root, "big.json");
        var codec = new SecretCodec((ISecretsManager?)null);
        CheckpointFile.Write(path, EngineFixture.Project, new StackSnapshot("prod.all", states, [], desired.Outputs, null), codec, f.Time.GetUtcNow());
        var loaded = CheckpointFile.Read(path, "prod.all", codec);
        var same = planner.Plan(desired, loaded, [], []);

        Assert.Equal(n, create.Counts[StepOp.Create]);
        Assert.Equal(n, loaded.Resources.Count);
        Assert.Equal(states[12_345], loaded.ByUrn[states[12_345].Urn] with { });
        Assert.Equal(n, same.Counts[StepOp.Same]);
        Assert.False(same.HasChanges);
    }
}
