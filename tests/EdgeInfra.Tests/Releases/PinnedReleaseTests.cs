using System.Text.Json;
using EdgeInfra.Lab.Registry;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;

namespace EdgeInfra.Tests.Releases;

/// <summary>Release images pinned to digests at render, end to end through the CLI: the lab stack's pos-app image is
/// served by a real docker-registry (<c>edge-infra:registries</c> points registry.example.com at it).</summary>
[Collection(RegistryCollection.Name)]
public sealed class PinnedReleaseTests : IDisposable
{
    private const string Ring = "retail-region-1";
    private const string Bundle = $"apps/pos-app/{Ring}/fleet.yaml";
    private readonly RegistryFixture _registries;
    private readonly LabProject _lab = new();
    private readonly string _repo = RegistryFixture.NewRepository("edge");

    public PinnedReleaseTests(RegistryFixture registries)
    {
        _registries = registries;
        UseRegistry(registries.Upstream.Url);
    }

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Up_ImageInRegistry_PinsItsDigestInBundleCommitAndState()
    {
        var image = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");

        var up = await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($"digest: \"{image.Digest}\"", FleetRepoInspector.Files(_lab.FleetRepo)[Bundle]);
        var commit = Assert.Single(FleetRepoInspector.Commits(_lab.FleetRepo), c => FleetRepoInspector.Trailer(c, "Edge-Stack") == $"lab.{Ring}");
        Assert.Equal($"pos-app={image.Digest}", FleetRepoInspector.Trailer(commit, "Edge-Digest"));
        var export = await _lab.Run("stack", "export", "--stack", "lab", "--ring", Ring);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains($"\"digest.pos-app\": \"{image.Digest}\"", export.Out);
        var again = await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes");
        Assert.Contains("No changes", again.Out);
    }

    [Fact]
    public async Task Preview_TagMovedSinceApply_ShowsTheChangeNamingBothDigests()
    {
        var applied = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes")).ExitCode);
        var moved = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1", layerBytes: 999);

        var text = await _lab.Run("preview", "--stack", "lab", "--ring", Ring);
        var json = await _lab.Run("preview", "--stack", "lab", "--ring", Ring, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"tag moved: registry.example.com/{_repo}:2.4.1 was {applied.Digest} when ring {Ring} was applied; it is now {moved.Digest}",
            text.Out.ReplaceLineEndings(""));
        Assert.Contains($"{Bundle} update", text.Out);
        using var doc = JsonDocument.Parse(json.Out);
        var tag = Assert.Single(doc.RootElement.GetProperty("movedTags").EnumerateArray());
        Assert.Equal(applied.Digest, tag.GetProperty("recordedDigest").GetString());
        Assert.Equal(moved.Digest, tag.GetProperty("digest").GetString());
        Assert.Equal([Ring], tag.GetProperty("rings").EnumerateArray().Select(r => r.GetString()));

        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes")).ExitCode);
        Assert.Contains($"digest: \"{moved.Digest}\"", FleetRepoInspector.Files(_lab.FleetRepo)[Bundle]);
    }

    [Fact]
    public async Task Up_RegistryUnreachable_FailsNamingItAndOfflineAppliesTheRecordedDigest()
    {
        var image = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes")).ExitCode);
        var commits = FleetRepoInspector.CommitCount(_lab.FleetRepo);
        UseRegistry(RegistryFixture.DeadUrl());

        var down = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-2", "--yes");

        Assert.True(down.ExitCode == 1, down.ToString());
        // A plain error listing each image, not an exception's type name.
        Assert.StartsWith("error: cannot pin the release's images to digests:", down.Error.TrimStart());
        Assert.DoesNotContain("ReleasePinException", down.Error);
        Assert.Contains($"cannot resolve registry.example.com/{_repo}:2.4.1", down.Error);
        Assert.Contains("--offline", down.Error);
        Assert.Equal(commits, FleetRepoInspector.CommitCount(_lab.FleetRepo));

        var offline = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-2", "--yes", "--offline");

        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Contains($"digest: \"{image.Digest}\"", FleetRepoInspector.Files(_lab.FleetRepo)["apps/pos-app/retail-region-2/fleet.yaml"]);
    }

    [Fact]
    public async Task Up_OfflineWithANewVersionNoRingApplied_RefusedNamingTheRelease()
    {
        await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");
        Assert.Equal(0, (await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes")).ExitCode);
        Assert.Equal(0, (await _lab.Run("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0")).ExitCode);
        var commits = FleetRepoInspector.CommitCount(_lab.FleetRepo);

        var run = await _lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes", "--offline");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("--offline: no ring of stack lab recorded a digest for pos-app 2.5.0", run.Error);
        Assert.Equal(commits, FleetRepoInspector.CommitCount(_lab.FleetRepo));
    }

    [Fact]
    public async Task Up_LabImageHostNotConfigured_PinsTheLabRegistrysStableDigest()
    {
        using var lab = new LabProject();

        var run = await lab.Run("up", "--stack", "lab", "--ring", Ring, "--yes");

        Assert.True(run.ExitCode == 0, run.ToString());
        var digest = LabRegistry.Digest(ImageReference.Parse("registry.example.com/edge/pos-app:2.4.1"));
        // Stable across machines and runs: the lab's rollouts and goldens name this digest.
        Assert.Equal("sha256:3bd9784fc533d65690a1039cfe3ed318fb011a9bbd653f37761a0d2a0e257176", digest);
        Assert.Contains($"digest: \"{digest}\"", FleetRepoInspector.Files(lab.FleetRepo)[Bundle]);
    }

    /// <summary>Points the lab's pos-app at this test's repository on <paramref name="upstream"/>.</summary>
    private void UseRegistry(Uri upstream)
    {
        var text = File.ReadAllText(_lab.LabConfig);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"image: registry\.example\.com/\S+", $"image: registry.example.com/{_repo}");
        var marker = "  edge-infra:registries:";
        if (text.Contains(marker, StringComparison.Ordinal)) text = text[..text.IndexOf(marker, StringComparison.Ordinal)];
        File.WriteAllText(_lab.LabConfig, text.TrimEnd() + $"\n{marker}\n    registry.example.com: {upstream.ToString().TrimEnd('/')}\n");
    }
}
