using System.Text.Json.Nodes;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;

namespace EdgeInfra.Tests.Cli;

/// <summary><c>edgeinfra mirror warm|status</c> on a copy of the lab project whose zone mirrors and upstream point at
/// real docker-registry instances: eu-central and eu-west pull through mirror A (two upstreams each, so names are
/// rewritten under the upstream host), eu-north and na-east through mirror B (one upstream, names passed through).</summary>
[Collection(RegistryCollection.Name)]
public sealed class MirrorCommandTests(RegistryFixture registries) : IDisposable
{
    private const string Host = "registry.example.com";
    private const string Ring = "retail-region-1";
    private static readonly string[] Zones = ["eu-central", "eu-north", "eu-west", "na-east"];
    private readonly LabProject _lab = new();
    private readonly string _repo = RegistryFixture.NewRepository();

    [Fact]
    public async Task Warm_LabRing_EveryZoneMirrorServesTheReleaseDigest_SecondWarmSendsOnlyHeads()
    {
        var index = await TestImages.PushIndexAsync(registries.Upstream.Url, _repo, "2.4.1");
        await PointAtRegistries();

        var before = await Status();
        var warm = await _lab.Run("mirror", "warm", "--stack", "lab", "--ring", Ring);
        var after = await Status();

        Assert.All(Images(before), i => Assert.Equal("missing", (string?)i["state"]));
        Assert.True(warm.ExitCode == 0, warm.ToString());
        foreach (var zone in Zones) Assert.Contains($"✓ {zone} × {Host}/{_repo}:2.4.1", warm.Out);
        Assert.Equal(Zones, Images(after).Select(i => (string)i["zone"]!).Order());
        Assert.All(Images(after), i => Assert.Equal(("serves", index.Digest), ((string?)i["state"], (string?)i["digest"])));
        // Byte-identical at the repository each zone's stores ask for (registries.yaml rewrite rule).
        foreach (var (mirror, repo) in new[] { (registries.MirrorA.Url, $"{Host}/{_repo}"), (registries.MirrorB.Url, _repo) })
        {
            var got = await TestImages.GetManifestAsync(mirror, repo, "2.4.1");
            Assert.Equal(index.ManifestBytes, got?.Bytes);
            foreach (var (digest, bytes) in index.AllBlobs) Assert.Equal(bytes, await TestImages.GetBlobAsync(mirror, repo, digest));
        }

        var (markA, markB) = (await registries.MirrorA.MarkAsync(), await registries.MirrorB.MarkAsync());
        var again = await _lab.Run("mirror", "warm", "--stack", "lab", "--ring", Ring);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(4, again.Out.Split("already served (HEAD only)").Length - 1);
        var sent = (await registries.MirrorA.RequestsSinceAsync(markA)).Concat(await registries.MirrorB.RequestsSinceAsync(markB)).ToList();
        // Zones sharing a mirror and repository share one check: one HEAD per mirror here.
        Assert.Equal([("HEAD", $"/v2/{Host}/{_repo}/manifests/2.4.1"), ("HEAD", $"/v2/{_repo}/manifests/2.4.1")], sent);
    }

    [Fact]
    public async Task Warm_OneZoneMirrorDown_Exit1NamingZoneAndImage_OtherZonesWarmed()
    {
        await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        await PointAtRegistries();
        await Set("--path", "registryZones.eu-north.mirror", RegistryFixture.DeadUrl().ToString());

        var warm = await _lab.Run("mirror", "warm", "--stack", "lab", "--ring", Ring);
        var status = await Status();

        Assert.True(warm.ExitCode == 1, warm.ToString());
        Assert.Contains($"error: mirror warm: zone eu-north, image {Host}/{_repo}:2.4.1:", warm.Error);
        Assert.Contains($"✓ na-east × {Host}/{_repo}:2.4.1", warm.Out);
        var states = Images(status).ToDictionary(i => (string)i["zone"]!, i => (string)i["state"]!);
        Assert.Equal("mirror-unreachable", states["eu-north"]);
        Assert.Equal("serves", states["na-east"]);
    }

    [Fact]
    public async Task Warm_MirrorWithCredentialsInSecretConfig_CopiesAndNeverPrintsThePassword()
    {
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        await PointAtRegistries();
        await Set("--path", "registryZones.na-east.mirror", registries.AuthMirror.Url.ToString());
        await Set("--path", "registryZones.na-east.authKey", "mirrorNaEastAuth");
        var env = new Dictionary<string, string> { ["EDGEINFRA_CONFIG_PASSPHRASE"] = "correct horse battery staple" };
        var secret = $"{RegistryFixture.AuthUser}:{RegistryFixture.AuthPassword}";
        var set = await CliRunner.RunProcessAsync(["config", "set", "--stack", "lab", "--secret", "mirrorNaEastAuth", secret, "--cwd", _lab.Dir],
            TimeSpan.FromMinutes(1), env);
        Assert.True(set.ExitCode == 0, set.ToString());

        var warm = await CliRunner.RunProcessAsync(["mirror", "warm", "--stack", "lab", "--ring", Ring, "--cwd", _lab.Dir], TimeSpan.FromMinutes(2), env);
        var noPassphrase = await _lab.Run("mirror", "warm", "--stack", "lab", "--ring", Ring);

        Assert.True(warm.ExitCode == 0, warm.ToString());
        Assert.Contains("✓ na-east ×", warm.Out);
        var basic = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", RegistryFixture.Credentials.BasicToken);
        Assert.Equal(image.ManifestBytes, (await TestImages.GetManifestAsync(registries.AuthMirror.Url, _repo, "2.4.1", basic))?.Bytes);
        Assert.Equal(2, noPassphrase.ExitCode);
        Assert.Contains("mirrorNaEastAuth", noPassphrase.Error);
        foreach (var run in new[] { set, warm, noPassphrase })
            Assert.DoesNotContain(RegistryFixture.AuthPassword, run.Out + run.Error);
    }

    [Fact]
    public async Task Status_HumanOutput_ShowsZoneImageDigestAndState()
    {
        var image = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        await PointAtRegistries();
        await _lab.Run("mirror", "warm", "--stack", "lab", "--ring", Ring);

        var status = await _lab.Run("mirror", "status", "--stack", "lab");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"Mirrors of ring {Ring}: 4 of 4 zone × image served", status.Out);
        Assert.Contains(image.Digest[..19], status.Out);
        // The next ring pulls through the same mirrors: warming one ring serves the zones it shares.
        Assert.Contains("Mirrors of ring retail-region-2: 4 of 4", status.Out);
    }

    [Theory]
    [InlineData("warm", "--ring", "no-such-ring")]
    [InlineData("status", "--ring", "no-such-ring")]
    public async Task Mirror_UnknownRing_Exit2ListingRings(string verb, string option, string value)
    {
        var run = await _lab.Run("mirror", verb, "--stack", "lab", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unknown ring 'no-such-ring'", run.Error);
        Assert.Contains("retail-region-1, retail-region-2, all", run.Error);
    }

    [Fact]
    public async Task Warm_BadUpstreamUrl_Exit2NamingTheEntry()
    {
        await Set("--path", $"registries[\"{Host}\"]", "ftp://nowhere");

        var run = await _lab.Run("mirror", "warm", "--stack", "lab", "--ring", Ring);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"registry '{Host}' URL 'ftp://nowhere' must be an http(s) URL", run.Error);
    }

    private async Task PointAtRegistries()
    {
        await Set("--path", "apps.pos-app.image", $"{Host}/{_repo}");
        await Set("--path", $"registries[\"{Host}\"]", registries.Upstream.Url.ToString());
        foreach (var zone in Zones)
            await Set("--path", $"registryZones.{zone}.mirror", (zone.StartsWith("eu-c") || zone == "eu-west" ? registries.MirrorA : registries.MirrorB).Url.ToString());
    }

    private async Task Set(params string[] args)
    {
        var run = await _lab.Run(["config", "set", "--stack", "lab", .. args]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private async Task<JsonNode> Status()
    {
        var run = await _lab.Run("mirror", "status", "--stack", "lab", "--ring", Ring, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(run.Out)!;
    }

    private static IEnumerable<JsonNode> Images(JsonNode status) => status["rings"]![0]!["images"]!.AsArray().Select(i => i!);

    public void Dispose() => _lab.Dispose();
}
