using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Mirror;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Tests.Components;
using EdgeInfra.Tests.Fixtures;
using EdgeInfra.Tests.Providers.Registry;

namespace EdgeInfra.Tests.Rollout.Gates;

/// <summary>The mirror gate against real docker-registry instances: zone "eu" pulls through mirror A (one upstream,
/// names passed through), zone "na" through mirror B (two upstreams, names rewritten under the upstream host).</summary>
[Collection(RegistryCollection.Name)]
public sealed class MirrorGateTests(RegistryFixture registries) : IDisposable
{
    private const string Host = "registry.example.com";
    private readonly RegistryClientPool _pool = new(new RegistryClientOptions(Attempts: 2, BaseDelay: TimeSpan.FromMilliseconds(20)));
    private readonly string _repo = RegistryFixture.NewRepository();

    [Fact]
    public async Task EvaluateAsync_MirrorsLackRelease_InconclusiveNamingEachZoneAndImage_SuccessfulAfterWarm()
    {
        await TestImages.PushIndexAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (gate, context) = Setup();

        var before = await gate.EvaluateAsync(context, default);

        Assert.Equal(Verdict.Inconclusive, before.Verdict);
        Assert.Contains($"eu × {Host}/{_repo}:2.4.1: missing sha256:", before.Reason);
        Assert.Contains($"na × {Host}/{_repo}:2.4.1: missing sha256:", before.Reason);
        Assert.Contains("mirror warm --stack prod --ring canary", before.Reason);
        Assert.Equal(["store-eu-1", "store-eu-2", "store-na-1"], before.Stores);

        var warmed = await Warm(context);
        Assert.All(warmed, r => Assert.True(r.Succeeded, r.Error));
        var after = await gate.EvaluateAsync(context, default);

        Assert.Equal(Verdict.Successful, after.Verdict);
        Assert.Equal("2 zone(s) serve all 1 release image(s) at their upstream digests", after.Reason);
    }

    [Fact]
    public async Task EvaluateAsync_OneZoneWarmed_HoldsOnTheOtherZoneAndItsStoresOnly()
    {
        await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (gate, context) = Setup();
        await Warm(context, zone: "eu");

        var result = await gate.EvaluateAsync(context, default);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith($"na × {Host}/{_repo}:2.4.1: missing", result.Reason);
        Assert.DoesNotContain("eu ×", result.Reason);
        Assert.Equal(["store-na-1"], result.Stores);
    }

    [Fact]
    public async Task EvaluateAsync_MirrorServesTagAtOlderDigest_Holds()
    {
        await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (gate, context) = Setup();
        await Warm(context);
        var rebuilt = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1", layerBytes: 777);

        var result = await gate.EvaluateAsync(context, default);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains($"missing {rebuilt.Digest[..19]}", result.Reason);
        Assert.Contains("on the mirror", result.Reason);
    }

    [Fact]
    public async Task EvaluateAsync_MirrorUnreachable_InconclusiveNamingTheZone()
    {
        await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (gate, context) = Setup(naMirror: RegistryFixture.DeadUrl());
        await Warm(context, zone: "eu");

        var result = await gate.EvaluateAsync(context, default);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains($"na × {Host}/{_repo}:2.4.1: mirror unreachable", result.Reason);
        Assert.Equal(["store-na-1"], result.Stores);
    }

    [Fact]
    public async Task EvaluateAsync_UpstreamUnreachable_Inconclusive()
    {
        var (gate, context) = Setup(upstream: RegistryFixture.DeadUrl());

        var result = await gate.EvaluateAsync(context, default);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("upstream unreachable", result.Reason);
    }

    [Fact]
    public async Task EvaluateAsync_ReleaseTagMissingUpstream_Failed()
    {
        await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.0");
        var (gate, context) = Setup();

        var result = await gate.EvaluateAsync(context with { Releases = new Dictionary<string, string> { ["pos"] = "2.4.2" } }, default);

        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains($"no such image upstream", result.Reason);
        Assert.Contains($"{_repo}:2.4.2", result.Reason);
    }

    [Fact]
    public async Task EvaluateAsync_ImageRegistryNotMirroredByAnyZone_Successful()
    {
        var (gate, context) = Setup();
        var model = context.Model with { Apps = [TestFleet.Pos() with { Image = $"quay.io/{_repo}" }] };

        var result = await gate.EvaluateAsync(context with { Model = model }, default);

        Assert.Equal(Verdict.Successful, result.Verdict);
    }

    [Fact]
    public async Task WarmAsync_SecondWarm_EveryCopyAlreadyPresent()
    {
        await TestImages.PushIndexAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (_, context) = Setup();
        await Warm(context);

        var again = await Warm(context);

        Assert.Equal(2, again.Count);
        Assert.All(again, r => Assert.True(r.Copy is { AlreadyPresent: true, BlobsCopied: 0, ManifestsCopied: 0 }, r.ToString()));
    }

    [Fact]
    public void MirrorTargets_ZoneWithSeveralUpstreams_RewritesRepositoryUnderUpstreamHost()
    {
        var (_, context) = Setup();

        var targets = MirrorTargets.For(context.Model, context.Stores, context.Releases);

        Assert.Equal([("eu", _repo), ("na", $"{Host}/{_repo}")], targets.Select(t => (t.Zone.Name, t.MirrorRepository)));
    }

    [Fact]
    public async Task WarmAndEvaluate_PinnedReleaseWhoseTagMovedUpstream_MirrorsServeThePinnedBytes()
    {
        var pinned = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (gate, context) = Setup();
        context = Pinned(context, pinned.Digest);
        await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1", layerBytes: 777);

        var warmed = await Warm(context);
        var result = await gate.EvaluateAsync(context, default);

        Assert.All(warmed, r => Assert.Equal(pinned.Digest, r.Copy?.Digest));
        Assert.Equal(Verdict.Successful, result.Verdict);
        Assert.Equal("2 zone(s) serve all 1 release image(s) at their pinned digests", result.Reason);
        Assert.Equal(pinned.Digest, (await TestImages.GetManifestAsync(registries.MirrorA.Url, _repo, "2.4.1"))?.Digest);
    }

    [Fact]
    public async Task EvaluateAsync_PinnedReleaseButMirrorsHoldTheMovedTag_HoldsNamingThePinnedDigest()
    {
        var pinned = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1");
        var (gate, context) = Setup();
        var moved = await TestImages.PushImageAsync(registries.Upstream.Url, _repo, "2.4.1", layerBytes: 777);
        await Warm(context);

        var result = await gate.EvaluateAsync(Pinned(context, pinned.Digest), default);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains($"missing {pinned.Digest[..19]}", result.Reason);
        Assert.Contains($"is at {moved.Digest} on the mirror", result.Reason);
    }

    private static GateContext Pinned(GateContext context, string digest) =>
        context with { Model = context.Model with { Apps = [.. context.Model.Apps.Select(a => a.Name == "pos" ? a with { Digest = digest } : a)] } };

    private (MirrorGate Gate, GateContext Context) Setup(Uri? naMirror = null, Uri? upstream = null)
    {
        var zones = new[]
        {
            new RegistryZone("eu", registries.MirrorA.Url.ToString(), [Host], null, new("Pulumi.prod.yaml", 30)),
            new RegistryZone("na", (naMirror ?? registries.MirrorB.Url).ToString(), [Host, "docker.io"], null, new("Pulumi.prod.yaml", 34)),
        };
        Store[] stores =
        [
            TestFleet.Store("store-eu-1", "canary", "central-europe", zone: "eu"),
            TestFleet.Store("store-eu-2", "canary", "central-europe", zone: "eu"),
            TestFleet.Store("store-na-1", "canary", "north-america", zone: "na"),
            TestFleet.Store("store-na-2", "early", "north-america", zone: "na"),
        ];
        var model = new FleetModel("prod", [.. stores], [TestFleet.Canary, TestFleet.Early],
            [TestFleet.Pos() with { Image = $"{Host}/{_repo}" }, TestFleet.Signage()], [], [.. zones], TestFleet.Settings);
        var upstreamEndpoint = new RegistryEndpoint($"upstream {Host}", upstream ?? registries.Upstream.Url);
        var access = new MirrorRegistries(_pool,
            host => host == Host ? upstreamEndpoint : throw new InvalidOperationException(host),
            zone => new RegistryEndpoint($"zone {zone.Name} mirror", new Uri(zone.Mirror)));
        var now = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
        var ringStores = model.StoresInRing("canary").ToList();
        var context = new GateContext(model, TestFleet.Canary, ringStores, new Dictionary<string, string> { ["pos"] = "2.4.1" },
            now, now, null, new Dictionary<string, StoreStatus>());
        Access = access;
        return (new MirrorGate(access), context);
    }

    private MirrorRegistries Access { get; set; } = null!;

    private async Task<IReadOnlyList<MirrorWarmResult>> Warm(GateContext context, string? zone = null)
    {
        var targets = MirrorTargets.For(context.Model, context.Stores, context.Releases).Where(t => zone is null || t.Zone.Name == zone).ToList();
        return await new MirrorWarmer(Access).WarmAsync(targets, null, default);
    }

    public void Dispose() => _pool.Dispose();
}
