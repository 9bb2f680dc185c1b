using System.Text.Json;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;
using EdgeInfra.Tests.Providers.Registry.Signatures;

namespace EdgeInfra.Tests.Releases;

/// <summary>Signed releases end to end: the lab stack verifies pos-app with cosign's ECDSA test key
/// (<c>edge-infra:release.verify</c>), its image and signatures live in a real docker-registry, and the lab's Fleet
/// simulator is the hub.</summary>
[Collection(RegistryCollection.Name)]
public sealed class SignedReleaseTests : IDisposable
{
    private readonly RegistryFixture _registries;
    private readonly LabProject _lab = new();
    private readonly string _repo = RegistryFixture.NewRepository("edge");

    public SignedReleaseTests(RegistryFixture registries)
    {
        _registries = registries;
        Directory.CreateDirectory(Path.Combine(_lab.Dir, "keys"));
        File.WriteAllText(KeyFile, CosignKey.FixtureEcdsa().PublicPem);
        var text = File.ReadAllText(_lab.LabConfig)
            .Replace("image: registry.example.com/edge/pos-app", $"image: registry.example.com/{_repo}", StringComparison.Ordinal);
        File.WriteAllText(_lab.LabConfig, text.TrimEnd() + $"""

              edge-infra:registries:
                registry.example.com: {registries.Upstream.Url.ToString().TrimEnd('/')}
              edge-infra:release:
                verify:
                  pos-app: keys/pos-app.pub

            """);
    }

    private string KeyFile => Path.Combine(_lab.Dir, "keys", "pos-app.pub");

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Rollout_SignedRelease_AppliesEveryRingAndAuditsTheVerifiedSignature()
    {
        var image = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");
        await CosignSignatures.PushAsync(_registries.Upstream.Url, _repo, image.Digest, CosignKey.FixtureEcdsa());

        var rollout = await _lab.Run("rollout", "--stack", "lab");

        Assert.True(rollout.ExitCode == 0, rollout.ToString());
        var applies = (await AuditEntries()).Where(e => e.GetProperty("action").GetString() == "apply").ToList();
        Assert.Equal(3, applies.Count);
        Assert.All(applies, a =>
        {
            var data = a.GetProperty("data");
            Assert.Equal(image.Digest, data.GetProperty("digest.pos-app").GetString());
            Assert.StartsWith($"verified {image.Digest}: signed by the ecdsa-p256 key sha256:", data.GetProperty("signature.pos-app").GetString());
        });
        Assert.Contains($"digest: \"{image.Digest}\"", FleetRepoInspector.Files(_lab.FleetRepo)["apps/pos-app/all/fleet.yaml"]);
    }

    [Fact]
    public async Task Rollout_UnsignedRelease_HoldsTheFirstRingWithTheReasonAuditedAndAppliesNothing()
    {
        var image = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");

        var rollout = await _lab.Run("rollout", "--stack", "lab", "--hold-timeout", "5m");

        Assert.True(rollout.ExitCode == 1, rollout.ToString());
        Assert.Contains($"signature: the release is not applied: pos-app 2.4.1 (registry.example.com/{_repo}@{image.Digest}): unsigned", rollout.Error);
        var entries = await AuditEntries();
        var hold = Assert.Single(entries, e => e.GetProperty("action").GetString() == "hold");
        Assert.Equal("retail-region-1", hold.GetProperty("ring").GetString());
        Assert.Contains($"unsigned: {_repo} has no signature sha256-{image.Digest[7..]}.sig", hold.GetProperty("reason").GetString());
        Assert.DoesNotContain(entries, e => e.GetProperty("action").GetString() == "apply");
        Assert.DoesNotContain(FleetRepoInspector.Files(_lab.FleetRepo).Keys, k => k.StartsWith("apps/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_ReleaseSignedByAForeignKey_RefusedAuditedAndNothingCommitted()
    {
        var image = await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");
        await CosignSignatures.PushAsync(_registries.Upstream.Url, _repo, image.Digest, CosignKey.ForeignEcdsa());

        var up = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");

        Assert.True(up.ExitCode == 1, up.ToString());
        Assert.Contains("not signed by the configured key", up.Error);
        Assert.False(Directory.Exists(_lab.FleetRepo) && FleetRepoInspector.CommitCount(_lab.FleetRepo) > 0, "nothing may be committed");
        var refused = Assert.Single(await AuditEntries(), e => e.GetProperty("action").GetString() == "signature-refused");
        Assert.Equal("retail-region-1", refused.GetProperty("ring").GetString());
        Assert.StartsWith($"refused {image.Digest}: not signed by the configured key",
            refused.GetProperty("data").GetProperty("signature.pos-app").GetString());
    }

    [Fact]
    public async Task Up_KeyFileIsNotAPublicKey_Exit2NamingTheFile()
    {
        await TestImages.PushImageAsync(_registries.Upstream.Url, _repo, "2.4.1");
        File.WriteAllText(KeyFile, "not a key\n");

        var up = await _lab.Run("up", "--stack", "lab", "--ring", "retail-region-1", "--yes");

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains("Pulumi.lab.yaml:", up.Error);
        Assert.Contains("edge-infra:release.verify.pos-app", up.Error);
        Assert.Contains("no '-----BEGIN PUBLIC KEY-----' block", up.Error);
    }

    private async Task<IReadOnlyList<JsonElement>> AuditEntries()
    {
        var audit = await _lab.Run("audit", "--stack", "lab", "--json");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        using var doc = JsonDocument.Parse(audit.Out);
        return [.. doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.Clone())];
    }
}
