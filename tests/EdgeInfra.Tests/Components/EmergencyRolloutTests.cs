using System.Text.Json.Nodes;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.Components.Yaml;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Tests.Components;

public sealed class EmergencyRolloutTests
{
    private static DesiredStack Early() =>
        FleetStackBuilder.BuildRing(TestFleet.Small(), "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret);

    private static bool IsBundle(DesiredResource r) =>
        r.Provider == FleetProviders.FleetRepo && r.Inputs.GetOrDefault(FleetResourceKeys.Path) is { } p &&
        p.EndsWith("/" + FleetRepoLayout.FleetYamlName, StringComparison.Ordinal);

    [Fact]
    public void Unthrottled_RingStack_EveryBundleLetsEveryStoreAndPartitionUpdateAtOnce()
    {
        var stack = Early();

        var rolledBack = EmergencyRollout.Unthrottled(stack);

        var bundles = rolledBack.Resources.Where(IsBundle).ToList();
        Assert.NotEmpty(bundles);
        foreach (var bundle in bundles)
        {
            var strategy = YamlJsonReader.Read(bundle.Inputs[FleetResourceKeys.Content])!["rolloutStrategy"]!.AsObject();
            Assert.Equal("100%", strategy["maxUnavailable"]!.GetValue<string>());
            Assert.Equal("100%", strategy["maxUnavailablePartitions"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Unthrottled_RingStack_ChangesNothingButTheRolloutStrategy()
    {
        var stack = Early();

        var rolledBack = EmergencyRollout.Unthrottled(stack);

        Assert.Equal(stack.Resources.Select(r => r.Urn), rolledBack.Resources.Select(r => r.Urn));
        foreach (var (before, after) in stack.Resources.Zip(rolledBack.Resources))
        {
            if (!IsBundle(before))
            {
                Assert.Equal(before.Inputs, after.Inputs);
                continue;
            }
            var b = YamlJsonReader.Read(before.Inputs[FleetResourceKeys.Content])!.AsObject();
            var a = YamlJsonReader.Read(after.Inputs[FleetResourceKeys.Content])!.AsObject();
            b.Remove("rolloutStrategy");
            a.Remove("rolloutStrategy");
            Assert.True(JsonNode.DeepEquals(b, a), $"{before.Urn}: {b.ToJsonString()} != {a.ToJsonString()}");
            Assert.Equal(before.SecretInputs, after.SecretInputs);
        }
    }
}
