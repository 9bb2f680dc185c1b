using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Tests.Components;

namespace EdgeInfra.Tests.Releases;

/// <summary>A ring re-rendered at its applied release (to pause or release stores) renders what its state recorded,
/// whatever the stack's config says since.</summary>
public sealed class RingAppliedReleaseTests
{
    private static readonly string Old = "sha256:" + new string('a', 64);
    private static readonly string New = "sha256:" + new string('b', 64);

    [Fact]
    public void Apply_ConfigBumpedAndRepinnedSinceTheApply_RendersTheRecordedVersionChartAndDigest()
    {
        var applied = new RingAppliedRelease(Map(("pos", "2.4.1"), ("signage", "1.7.0")), Map(("pos", Old)));

        var ring = Render(applied.Apply(Bumped()));

        Assert.Equal(("2.4.1", "1.7.0", Old), (ring.Outputs["release.pos"], ring.Outputs["release.signage"], ring.Outputs["digest.pos"]));
        var bundle = Bundle(ring, "pos");
        Assert.Contains("version: \"2.4.1\"", bundle);
        Assert.Contains($"digest: \"{Old}\"", bundle);
        Assert.DoesNotContain("2.5.0", bundle);
        Assert.DoesNotContain(New, bundle);
    }

    [Fact]
    public void Apply_AppliedWithoutADigest_RendersTheImageUnpinnedAsItWasApplied()
    {
        var applied = new RingAppliedRelease(Map(("pos", "2.4.1"), ("signage", "1.7.0")), Map());

        var ring = Render(applied.Apply(Bumped()));

        Assert.False(ring.Outputs.ContainsKey("digest.pos"));
        Assert.DoesNotContain("digest:", Bundle(ring, "pos"));
    }

    [Fact]
    public void Apply_AppConfiguredButNeverAppliedToTheRing_IsNotRendered()
    {
        var applied = new RingAppliedRelease(Map(("pos", "2.4.1")), Map(("pos", Old)));

        var ring = Render(applied.Apply(Bumped()));

        Assert.False(ring.Outputs.ContainsKey("release.signage"));
        Assert.DoesNotContain(ring.Resources, r => r.Tags.GetValueOrDefault(FleetResourceKeys.AppTag) == "signage");
    }

    [Fact]
    public void Apply_RingRunsAnAppNoLongerConfigured_RefusedNamingIt()
    {
        var applied = new RingAppliedRelease(Map(("pos", "2.4.1"), ("kiosk", "3.0.0")), Map());

        var e = Assert.Throws<RingAppliedReleaseException>(() => applied.Apply(Bumped()));

        Assert.Contains("kiosk", e.Message);
    }

    /// <summary>The small fleet with pos bumped to 2.5.0 (its chart follows) and pinned to a newer digest.</summary>
    private static FleetModel Bumped()
    {
        var model = TestFleet.Small();
        return model with
        {
            Apps = [.. model.Apps.Select(a => a.Name == "pos"
                ? a with { Version = "2.5.0", Helm = a.Helm! with { Version = "2.5.0" }, Digest = New }
                : a)],
        };
    }

    private static DesiredStack Render(FleetModel model) => FleetStackBuilder.BuildRing(model, "canary", "edge", TestFleet.Today, TestFleet.ResolveSecret);

    private static string Bundle(DesiredStack ring, string app) => ring.Resources
        .Where(r => r.Provider == FleetProviders.FleetRepo && r.Tags.GetValueOrDefault(FleetResourceKeys.AppTag) == app)
        .Single(r => r.Inputs[FleetResourceKeys.Path].EndsWith("fleet.yaml", StringComparison.Ordinal))
        .Inputs[FleetResourceKeys.Content];

    private static Dictionary<string, string> Map(params (string Key, string Value)[] items) =>
        items.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
}
