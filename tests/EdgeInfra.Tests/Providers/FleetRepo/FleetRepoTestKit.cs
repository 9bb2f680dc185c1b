using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>Builds fleet repo providers, resources and runs for tests; every provider gets its own cache dir.</summary>
internal sealed class FleetRepoTestKit(string remoteUrl, string branch = "main") : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly TempDirectory _caches = new("edgeinfra-fleetcache-");
    private readonly List<IDisposable> _owned = [];
    private int _next;

    public string RemoteUrl { get; } = remoteUrl;
    public string Branch { get; } = branch;
    public FakeTimeProvider Clock { get; } = new(Start);

    public static readonly IReadOnlyList<KeyValuePair<string, string>> Trailers =
    [
        new("Edge-Stack", "prod.canary"),
        new("Edge-Ring", "canary"),
        new("Edge-Release", "pos-app@2.4.1"),
        new("Edge-Actor", "jane@example.test"),
        new("Edge-Source-Commit", "0123456789abcdef0123456789abcdef01234567"),
        new("Edge-Stores", "6"),
    ];

    public static ChangeDescription Change(string message = "Roll pos-app 2.4.1 to canary") => new("prod.canary", message, Trailers);

    public FleetRepoOptions Options(string? cacheDir = null) =>
        new(RemoteUrl, Branch, cacheDir ?? _caches.Combine($"cache-{Interlocked.Increment(ref _next)}"), "EdgeInfra", "edgeinfra@example.test")
        {
            RetryBaseDelay = TimeSpan.Zero,
        };

    /// <summary>A provider on the fake clock (commit times are <see cref="Start"/> plus whatever the test advanced).</summary>
    public FleetRepoProvider Provider(FleetRepoOptions? options = null, TimeProvider? time = null)
    {
        var provider = new FleetRepoProvider(options ?? Options(), time ?? Clock);
        _owned.Add(provider);
        return provider;
    }

    public FleetRepoHistory History()
    {
        var history = new FleetRepoHistory(Options());
        _owned.Add(history);
        return history;
    }

    public static DesiredResource File(string path, string content) =>
        new(UrnOf(path), true, null, FleetRepoProvider.ProviderName,
            PropertyMap.Of((FleetRepoProvider.PathKey, path), (FleetRepoProvider.ContentKey, content)), ResourceOptions.Default);

    public static ResourceState State(ProviderResult result) =>
        new(UrnOf(result.Id), true, result.Id, null, FleetRepoProvider.ProviderName, result.Inputs, result.Outputs);

    public static ResourceState State(string path, string content = "") =>
        new(UrnOf(path), true, path, null, FleetRepoProvider.ProviderName,
            PropertyMap.Of((FleetRepoProvider.PathKey, path), (FleetRepoProvider.ContentKey, content)), PropertyMap.Empty);

    /// <summary>One run that creates or updates every file given (content null: delete) and completes.</summary>
    public async Task<string?> RunAsync(FleetRepoProvider provider, params (string Path, string? Content)[] files)
    {
        await provider.BeginAsync(Change(), CancellationToken.None);
        foreach (var (path, content) in files)
        {
            if (content is null) await provider.DeleteAsync(State(path), CancellationToken.None);
            else await provider.CreateAsync(File(path, content), CancellationToken.None);
        }
        return await provider.CompleteAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _caches.Dispose();
    }

    private static Urn UrnOf(string path) => Urn.Create("prod.canary", "edge-infra", "edge:fleetrepo:File", path);
}
