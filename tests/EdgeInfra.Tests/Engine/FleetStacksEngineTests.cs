using EdgeInfra.Components.Model;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.Device;
using EdgeInfra.Tests.Components;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Engine;

/// <summary>The engine driving the real ring stacks that <see cref="FleetStackBuilder"/> builds.</summary>
public sealed class FleetStacksEngineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgeinfra-fleet-engine-" + Guid.NewGuid().ToString("N"));
    private readonly FakeProvider _repo = new(FleetProviders.FleetRepo);
    private readonly FileStateBackend _backend;
    private readonly StackEngine _engine;

    public FleetStacksEngineTests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero));
        _backend = new FileStateBackend(_root, TestFleet.Project, time, new FakeSecrets());
        _engine = new StackEngine(_backend, new Dictionary<string, IResourceProvider>
        {
            [FleetProviders.FleetRepo] = _repo,
            [FleetProviders.Device] = new StagedDeviceFileProvider(),
        }, time);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (DesiredStack Canary, DesiredStack Early) Rings(FleetModel model) =>
        (FleetStackBuilder.BuildRing(model, "canary", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret),
         FleetStackBuilder.BuildRing(model, "early", TestFleet.Project, TestFleet.Today, TestFleet.ResolveSecret));

    private static FleetModel Moved(FleetModel model) => model with
    {
        Stores = [.. model.Stores.Select(s => s.Id == "store-vie-02" ? s with { Labels = s.Labels.SetItem(StoreLabels.RolloutRing, "canary") } : s)],
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Up_StoreMovedBetweenRings_KeepsItsClusterFileWhicheverRingGoesFirst(bool oldRingFirst)
    {
        var (canary, early) = Rings(TestFleet.Small());
        await _engine.UpAsync(canary, new() { Siblings = [early] });
        await _engine.UpAsync(early, new() { Siblings = [canary] });
        var clusterFiles = _repo.Live.Keys.Where(k => k.Contains("store-vie-02", StringComparison.Ordinal)).ToList();
        _repo.Calls.Clear();
        var (canary2, early2) = Rings(Moved(TestFleet.Small()));

        var preview = await _engine.PreviewAsync(canary2, new() { Siblings = [early2] });
        if (oldRingFirst)
        {
            Assert.True((await _engine.UpAsync(early2, new() { Siblings = [canary2] })).Succeeded);
            Assert.True((await _engine.UpAsync(canary2, new() { Siblings = [early2] })).Succeeded);
        }
        else
        {
            Assert.True((await _engine.UpAsync(canary2, new() { Siblings = [early2] })).Succeeded);
            Assert.True((await _engine.UpAsync(early2, new() { Siblings = [canary2] })).Succeeded);
        }

        Assert.Equal(4, preview.Counts[StepOp.Move]);
        Assert.Equal(0, preview.Counts[StepOp.Create]);
        Assert.NotEmpty(clusterFiles);
        Assert.All(clusterFiles, f => Assert.True(_repo.Live.ContainsKey(f), f));
        Assert.DoesNotContain(_repo.CallList("delete"), c => c.Contains("store-vie-02", StringComparison.Ordinal));
        var owners = new[] { "prod.canary", "prod.early" }
            .Select(s => (s, _backend.LoadAsync(s).AsTask().Result.Resources.Count(r => r.Tags.GetValueOrDefault("store") == "store-vie-02")))
            .ToDictionary(x => x.s, x => x.Item2);
        Assert.Equal(4, owners["prod.canary"]);
        Assert.Equal(0, owners["prod.early"]);
        Assert.False((await _engine.PreviewAsync(canary2, new() { Siblings = [early2] })).HasChanges);
        Assert.False((await _engine.PreviewAsync(early2, new() { Siblings = [canary2] })).HasChanges);
    }

    [Fact]
    public async Task Up_RealRingStack_KeepsRegistryCredentialsOffTheDisk()
    {
        var (canary, early) = Rings(TestFleet.Small());
        await _engine.UpAsync(canary, new() { Siblings = [early] });
        await _engine.UpAsync(early, new() { Siblings = [canary] });
        await _engine.UpAsync(FleetStackBuilder.BuildBase(TestFleet.Small(), TestFleet.Project));

        Assert.Contains(canary.Resources, r => r.SecretInputs.Count > 0);
        Assert.Equal(["prod", "prod.canary", "prod.early"], _backend.ListStacks());
        foreach (var file in Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".gz", StringComparison.Ordinal)))
            Assert.DoesNotContain(TestFleet.MirrorAuth, File.ReadAllText(file));
    }
}
