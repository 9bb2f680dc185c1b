using System.Text.Json;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Releases;

/// <summary>A rehearsal pins the release's images as the rollout would: tags resolved in the stack's registries (a real
/// docker-registry here), or with <c>--offline</c> the digests the real stack recorded.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RehearsalPinningTests(RegistryFixture registries)
{
    [Fact]
    public async Task Rehearse_ProposedTagInTheRegistry_PinsItsDigestAndAMissingTagFailsNamingIt()
    {
        using var lab = await SmallLab.CreateAsync(12);
        var repo = RegistryFixture.NewRepository("edge");
        LabImageRegistry.Use(lab.Project, repo, registries.Upstream.Url);
        await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.4.1");

        var missing = await lab.Project.Run("rehearse", "--stack", "lab", "--release", "pos-app=2.5.0");

        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains($"has no {repo}:2.5.0", missing.Error);

        var proposed = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.5.0");
        var run = await lab.Project.Run("rehearse", "--stack", "lab", "--release", "pos-app=2.5.0", "--json");

        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        var image = Assert.Single(Images(run.Out), i => i.App == "pos-app");
        Assert.Equal(("2.5.0", proposed.Digest, "registry"), (image.Version, image.Digest, image.Source));
    }

    [Fact]
    public async Task Rehearse_OfflineWithTheRegistryDown_PinsTheDigestsTheStackRecordedOrRefusesAnUnrecordedRelease()
    {
        using var lab = await SmallLab.CreateAsync(12);
        var repo = RegistryFixture.NewRepository("edge");
        LabImageRegistry.Use(lab.Project, repo, registries.Upstream.Url);
        var applied = await TestImages.PushImageAsync(registries.Upstream.Url, repo, "2.4.1");
        await lab.OkAsync("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");
        lab.Project.Edit(lab.Project.LabConfig, c => c.Replace(registries.Upstream.Url.ToString().TrimEnd('/'), RegistryFixture.DeadUrl().ToString().TrimEnd('/')));

        var run = await lab.Project.Run("rehearse", "--stack", "lab", "--release", "store-baseline=1.1.0", "--offline", "--json");
        var unrecorded = await lab.Project.Run("rehearse", "--stack", "lab", "--release", "pos-app=2.5.0", "--offline");

        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        var image = Assert.Single(Images(run.Out), i => i.App == "pos-app");
        Assert.Equal(("2.4.1", applied.Digest, "state"), (image.Version, image.Digest, image.Source));
        Assert.True(unrecorded.ExitCode == 1, unrecorded.ToString());
        Assert.Contains("--offline: no ring of stack lab recorded a digest for pos-app 2.5.0", unrecorded.Error);
    }

    private static List<(string App, string Version, string Digest, string Source)> Images(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("images").EnumerateArray().Select(i =>
            (i.GetProperty("app").GetString()!, i.GetProperty("version").GetString()!, i.GetProperty("digest").GetString()!, i.GetProperty("source").GetString()!))];
}
