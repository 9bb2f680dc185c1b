using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using EdgeInfra.Providers.Ssh;
using EdgeInfra.Tests.Fixtures;
using K = EdgeInfra.Providers.Ssh.DeviceResourceKeys;

namespace EdgeInfra.Tests.Providers.Ssh;

/// <summary>The SSH device provider on its own against real OpenSSH servers: how many connections and commands its
/// reads cost, and which key exchange it agrees on.</summary>
[Collection(SshDeviceCollection.Name)]
public sealed class SshDeviceProviderTests(SshDeviceFixture fixture)
{
    private const string InstallType = "edge:k3s:Install";
    private const string ServiceType = "edge:k3s:Service";
    private const string FileType = "edge:k3s:Config";
    private const string Config = "/etc/rancher/k3s/config.yaml";
    private const string Registries = "/etc/rancher/k3s/registries.yaml";
    private const string Missing = "/var/lib/rancher/k3s/server/manifests/never-written.yaml";

    [Fact]
    public async Task ReadAsync_EveryResourceOfADeviceAtOnce_OneConnectionAndOneBatchedCommandReadEachExactly()
    {
        var device = await fixture.StartDeviceAsync("store-a");
        device.WriteFile(Config, "node-name: store-a\n");
        device.WriteFile(Registries, "mirrors: {}"); // no trailing newline: the batch must not add one
        device.WriteFile("/usr/local/bin/k3s", SshDeviceFixture.StandInK3s(SshDeviceFixture.StandInVersion), "755");
        using var provider = NewProvider(("store-a", device.Port));

        var reads = await Task.WhenAll(new[]
        {
            File("store-a", Config), File("store-a", Registries), File("store-a", Missing), Install("store-a"),
            Service("store-a", Config, Registries, Missing),
        }.Select(r => provider.ReadAsync(r, CancellationToken.None).AsTask()));

        Assert.Equal("node-name: store-a\n", reads[0]!.Inputs[K.Content]);
        Assert.Equal("mirrors: {}", reads[1]!.Inputs[K.Content]);
        Assert.Null(reads[2]);
        Assert.Equal(SshDeviceFixture.StandInVersion, reads[3]!.Inputs[K.K3sVersion]);
        Assert.Equal(Sha256("node-name: store-a\n"), reads[4]!.Inputs[K.WatchPrefix + Config]);
        Assert.Equal(Sha256("mirrors: {}"), reads[4]!.Inputs[K.WatchPrefix + Registries]);
        Assert.Equal("missing", reads[4]!.Inputs[K.WatchPrefix + Missing]);
        Assert.Equal(SshDeviceFixture.StandInVersion, reads[4]!.Inputs[K.K3sVersion]);
        Assert.All(reads.Where(r => r is not null), r => Assert.Equal(device.HostKey, r!.Outputs[K.HostKey]));
        Assert.Equal(["connect", "probes"], provider.Timings.Entries.Select(e => e.Kind));
    }

    [Fact]
    public async Task CreateAsync_ThreeFilesOfADeviceAtOnce_OneBatchedCommandWritesEachExactlyWithMode600AndLeavesNoStaging()
    {
        var device = await fixture.StartDeviceAsync("store-a");
        // The device's /tmp is the machine's, shared with every other test: only mktemp's directories (the staging's
        // kind) are compared.
        const string stagingDirs = "find /tmp -maxdepth 1 -type d -name 'tmp.*' | sort";
        var tmpBefore = device.Exec(stagingDirs);
        using var provider = NewProvider(("store-a", device.Port));
        var files = new[] { (Config, "node-name: store-a\n"), (Registries, "mirrors: {}"), (Missing, "kind: HelmChart\n# 'quotes' \"and\" $(not run)\n") };

        var results = await Task.WhenAll(files.Select(f => provider.CreateAsync(Desired("store-a", f.Item1, f.Item2), CancellationToken.None).AsTask()));

        foreach (var (path, content) in files)
        {
            Assert.Equal(content, device.ReadFile(path));
            Assert.Equal("600", device.Exec($"stat -c %a '{path}'").Trim());
        }
        Assert.All(results, r => Assert.Equal(device.HostKey, r.Outputs[K.HostKey]));
        Assert.Equal(["connect", "writes"], provider.Timings.Entries.Select(e => e.Kind));
        Assert.Equal(tmpBefore, device.Exec(stagingDirs));
    }

    [Fact]
    public async Task ReadAsync_ProbeAfterTheBatch_RunsAloneOnTheSameConnection()
    {
        var device = await fixture.StartDeviceAsync("store-a");
        device.WriteFile(Config, "node-name: store-a\n");
        using var provider = NewProvider(("store-a", device.Port));

        var first = await provider.ReadAsync(File("store-a", Config), CancellationToken.None);
        device.WriteFile(Config, "node-name: edited-by-hand\n");
        var second = await provider.ReadAsync(File("store-a", Config), CancellationToken.None);

        Assert.Equal("node-name: store-a\n", first!.Inputs[K.Content]);
        Assert.Equal("node-name: edited-by-hand\n", second!.Inputs[K.Content]);
        Assert.Equal(["connect", "read", "read"], provider.Timings.Entries.Select(e => e.Kind));
    }

    [Fact]
    public async Task ReadAsync_DeviceUnreachable_EveryBatchedReadFailsAsUnreachable()
    {
        using var provider = NewProvider(("store-gone", SshDeviceFixture.UnusedPort()));

        var reads = new[] { File("store-gone", Config), Install("store-gone") }
            .Select(r => provider.ReadAsync(r, CancellationToken.None).AsTask()).ToList();

        foreach (var read in reads) await Assert.ThrowsAsync<DeviceUnreachableException>(() => read);
    }

    [Fact]
    public async Task ReadAsync_ManyDevices_AtMostTheConcurrencyLimitInFlightAndEveryDeviceProbed()
    {
        var devices = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => fixture.StartDeviceAsync($"store-{i}")));
        using var provider = NewProvider([.. devices.Select((d, i) => ($"store-{i + 1}", d.Port))], concurrency: 2);

        var reads = await Task.WhenAll(devices.SelectMany((_, i) => new[] { File($"store-{i + 1}", Config), Install($"store-{i + 1}") })
            .Select(r => provider.ReadAsync(r, CancellationToken.None).AsTask()));

        Assert.All(reads, Assert.Null); // bare devices: no config.yaml, no k3s
        Assert.InRange(provider.Timings.MaxInFlight, 1, 2);
        var commands = provider.Timings.Entries.Where(e => e.Kind != "connect").GroupBy(e => e.Store).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(6, commands.Count);
    }

    [Fact]
    public async Task Connect_OpenSsh92_AgreesOnX25519RatherThanTheManagedSntrup761()
    {
        var device = await fixture.StartDeviceAsync("store-a");
        using var provider = NewProvider(("store-a", device.Port));

        await provider.ReadAsync(Install("store-a"), CancellationToken.None);

        // OpenSSH 9.2 offers sntrup761x25519 and curve25519 but not ML-KEM (9.9+); see KeyExchangeOrder.
        Assert.Equal("curve25519-sha256", provider.Timings.Entries.Single(e => e.Kind == "connect").KeyExchange);
    }

    private SshDeviceProvider NewProvider(params (string Store, int Port)[] devices) => NewProvider(devices, concurrency: 16);

    private SshDeviceProvider NewProvider((string Store, int Port)[] devices, int concurrency)
    {
        var ports = devices.ToDictionary(d => d.Store, d => d.Port);
        var options = new SshProviderOptions(fixture.ClientPrivateKey, concurrency, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30),
            Retries: 0, TimeSpan.FromMilliseconds(50), new K3sInstallOptions(K3sInstallMode.Airgap, K3sInstallOptions.DefaultScriptUrl, fixture.ArtifactsDir),
            InstallType, ServiceType);
        return new SshDeviceProvider(options, store => ports.TryGetValue(store, out var port) ? new SshEndpoint(store, "127.0.0.1", port, "root", null) : null,
            _ => Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>()), TimeProvider.System);
    }

    private static DesiredResource Desired(string store, string path, string content) =>
        new(Urn.Create("edge.canary", "edge-infra", FileType, $"{store}-{path}"), true, null, SshDeviceProvider.ProviderName,
            PropertyMap.Of((K.Store, store), (K.Path, path), (K.Content, content)), ResourceOptions.Default);

    private static ResourceState File(string store, string path) =>
        State(store, FileType, path, PropertyMap.Of((K.Store, store), (K.Path, path), (K.Content, "as last applied")));

    private static ResourceState Install(string store) =>
        State(store, InstallType, "k3s", PropertyMap.Of((K.Store, store), (K.K3sVersion, SshDeviceFixture.StandInVersion)));

    private static ResourceState Service(string store, params string[] watched) =>
        State(store, ServiceType, "k3s-service", PropertyMap.From(watched.Select(p => KeyValuePair.Create(K.WatchPrefix + p, "0"))
            .Append(KeyValuePair.Create(K.Store, store)).Append(KeyValuePair.Create(K.K3sVersion, SshDeviceFixture.StandInVersion))));

    private static ResourceState State(string store, string type, string name, PropertyMap inputs) =>
        new(Urn.Create("edge.canary", "edge-infra", type, $"{store}-{name}"), true, $"{store}:{name}", null, SshDeviceProvider.ProviderName,
            inputs, PropertyMap.Empty);

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
