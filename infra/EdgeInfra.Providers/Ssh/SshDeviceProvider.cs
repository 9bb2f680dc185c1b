using System.Collections.Immutable;
using System.Text;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using K = EdgeInfra.Providers.Ssh.DeviceResourceKeys;

namespace EdgeInfra.Providers.Ssh;

/// <summary>The production provider for store device resources: writes and reads them on the device over SSH.</summary>
/// <remarks>
/// Three kinds of resource: files (<c>path</c> + <c>content</c>, written atomically with mode 0600 and read back with
/// <c>cat</c>, so refresh sees a hand edit), the K3s install (probed with <c>k3s --version</c>) and the K3s service
/// (restarted when a watched file or the version changed; probed by hashing the watched files on the device). Every
/// resource names its store; one SSH session per device serves all of them in a run, and a device's file writes and
/// reads asked for at the same moment go to it as one command (<see cref="DeviceCommandBatcher"/>). Deleting a resource
/// forgets it: EdgeInfra never wipes a device that left the inventory (run <c>k3s-uninstall.sh</c> on it by hand).
/// </remarks>
public sealed class SshDeviceProvider : IResourceProvider, IDisposable
{
    public const string ProviderName = ProviderNames.Device;
    private static readonly IReadOnlySet<string> FileReplaceKeys = new HashSet<string> { K.Path };
    private static readonly IReadOnlySet<string> NoReplaceKeys = new HashSet<string>();

    private readonly SshProviderOptions _options;
    private readonly Func<string, SshEndpoint?> _endpoints;
    private readonly SshConnectionPool _pool;
    private readonly K3sInstaller _installer;

    private readonly Lazy<Task> _recorded;

    /// <param name="endpoints">How to reach a store's device; null for a store with no device settings.</param>
    /// <param name="recordedHostKeys">Reads the host keys recorded in state by earlier runs (store → fingerprint); called
    /// once, before the first connection.</param>
    public SshDeviceProvider(SshProviderOptions options, Func<string, SshEndpoint?> endpoints,
        Func<CancellationToken, Task<IReadOnlyDictionary<string, string>>> recordedHostKeys, TimeProvider time)
    {
        _options = options;
        _endpoints = endpoints;
        _pool = new SshConnectionPool(options, time);
        _recorded = new Lazy<Task>(async () =>
        {
            foreach (var (store, key) in await recordedHostKeys(CancellationToken.None)) _pool.Record(store, key);
        });
        _installer = new K3sInstaller(options.K3s);
    }

    public string Name => ProviderName;

    /// <summary>Every SSH operation of this run so far, with its timings.</summary>
    public SshTimings Timings => _pool.Timings;

    public IReadOnlySet<string> ReplaceKeys(string type) =>
        type == _options.InstallType || type == _options.ServiceType ? NoReplaceKeys : FileReplaceKeys;

    public ValueTask BeginAsync(ChangeDescription change, CancellationToken ct) => ValueTask.CompletedTask;

    public async ValueTask<ProviderResult> CreateAsync(DesiredResource desired, CancellationToken ct) =>
        await ApplyAsync(desired.Type, desired.Inputs, null, ct);

    public async ValueTask<ProviderResult> UpdateAsync(ResourceState current, DesiredResource desired, CancellationToken ct) =>
        await ApplyAsync(desired.Type, desired.Inputs, current, ct);

    public ValueTask DeleteAsync(ResourceState current, CancellationToken ct) => ValueTask.CompletedTask;

    /// <remarks>Every read is a probe batched with the other reads of its device (<see cref="DeviceCommandBatcher"/>).</remarks>
    public async ValueTask<ProviderResult?> ReadAsync(ResourceState current, CancellationToken ct)
    {
        var endpoint = await EndpointAsync(current.Inputs, current);
        var id = IdOf(current.Type, current.Inputs);
        if (current.Type == _options.InstallType)
        {
            var (device, result) = await _pool.RunBatchedAsync(endpoint, "probe", "k3s --version", K3sInstaller.VersionProbe, null, ct);
            if (result.ExitStatus != 0) throw new DeviceCommandException(endpoint.Store, "k3s --version", result.ExitStatus, result.Stderr);
            var version = K3sVersionOutput.Parse(result.Stdout);
            return version is null ? null : new ProviderResult(id, current.Inputs.With(K.K3sVersion, version), Outputs(device));
        }
        if (current.Type == _options.ServiceType)
        {
            var (script, parse) = ServiceProbe(current.Inputs);
            var (device, result) = await _pool.RunBatchedAsync(endpoint, "probe", "k3s service", script, null, ct);
            return new ProviderResult(id, parse(result.Stdout), Outputs(device));
        }

        var path = current.Inputs[K.Path];
        var (on, read) = await _pool.RunBatchedAsync(endpoint, "read", path,
            $"if [ -f {ShellQuote.Quote(path)} ]; then cat -- {ShellQuote.Quote(path)}; else exit 3; fi", null, ct);
        if (read.ExitStatus == 3) return null;
        if (read.ExitStatus != 0) throw new DeviceCommandException(endpoint.Store, $"reading {path}", read.ExitStatus, read.Stderr);
        return new ProviderResult(id, current.Inputs.With(K.Content, read.Stdout), Outputs(on));
    }

    public ValueTask<string?> CompleteAsync(CancellationToken ct) => ValueTask.FromResult<string?>(null);

    public void Dispose()
    {
        _pool.Dispose();
        _installer.Dispose();
    }

    private async Task<ProviderResult> ApplyAsync(string type, PropertyMap inputs, ResourceState? current, CancellationToken ct)
    {
        var endpoint = await EndpointAsync(inputs, current);
        SshDeviceConnection device;
        if (type == _options.InstallType)
            await _installer.InstallAsync(device = await _pool.GetAsync(endpoint, ct), inputs[K.K3sVersion], ct);
        else if (type == _options.ServiceType)
            await RestartAsync(device = await _pool.GetAsync(endpoint, ct), ct);
        else
        {
            // Batched with the device's other file writes of the moment: one SSH command for a store's K3s files.
            var path = inputs[K.Path];
            (device, var result) = await _pool.RunBatchedAsync(endpoint, "write", path, DeviceFiles.WriteCommand(path, "600"),
                Encoding.UTF8.GetBytes(inputs[K.Content]), ct);
            if (result.ExitStatus != 0) throw new DeviceCommandException(endpoint.Store, $"writing {path}", result.ExitStatus, result.Stderr);
        }
        return new ProviderResult(IdOf(type, inputs), inputs, Outputs(device));
    }

    /// <summary>The store's device, with the host key recorded for it (in state) known to the pool before it connects.</summary>
    private async Task<SshEndpoint> EndpointAsync(PropertyMap inputs, ResourceState? current)
    {
        var store = inputs.GetOrDefault(K.Store) ?? throw new InvalidOperationException("a device resource must name its store");
        var endpoint = _endpoints(store)
            ?? throw new InvalidOperationException($"store '{store}' has no device address in edge-infra:bootstrap");
        await _recorded.Value;
        if (current?.Outputs.GetOrDefault(K.HostKey) is { } recorded) _pool.Record(store, recorded);
        return endpoint;
    }

    private static Task RestartAsync(SshDeviceConnection device, CancellationToken ct) =>
        DeviceFiles.RunCheckedAsync(device, "restart", ShellQuote.Command("systemctl", "restart", "k3s"), "restarting k3s", ct);

    /// <summary>The probe of the service's live inputs (the hashes of the watched files as they are on the device, and the
    /// running version) and how to read its output.</summary>
    private static (string Script, Func<string, PropertyMap> Parse) ServiceProbe(PropertyMap inputs)
    {
        var watched = inputs.Keys.Where(k => k.StartsWith(K.WatchPrefix, StringComparison.Ordinal)).ToList();
        var script = new StringBuilder();
        foreach (var key in watched)
        {
            var path = ShellQuote.Quote(key[K.WatchPrefix.Length..]);
            script.Append($"if [ -f {path} ]; then sha256sum < {path}; else echo missing; fi; ");
        }
        script.Append(K3sInstaller.VersionProbe);
        return (script.ToString(), stdout =>
        {
            var lines = stdout.Split('\n');
            var live = inputs;
            for (var i = 0; i < watched.Count; i++)
            {
                var line = i < lines.Length ? lines[i].Trim() : "";
                live = live.With(watched[i], line.Split(' ', 2)[0]);
            }
            var version = K3sVersionOutput.Parse(string.Join('\n', lines.Skip(watched.Count)));
            return live.With(K.K3sVersion, version ?? "not installed");
        });
    }

    private static string IdOf(string type, PropertyMap inputs) =>
        inputs.GetOrDefault(K.Path) is { } path ? $"{inputs[K.Store]}:{path}" : $"{inputs[K.Store]}:{type}";

    private static PropertyMap Outputs(SshDeviceConnection device) =>
        PropertyMap.Of((K.HostKey, device.HostKey), ("delivery", "ssh"));

    /// <summary>The host keys recorded in the outputs of device resources in <paramref name="states"/>, by store.</summary>
    public static ImmutableDictionary<string, string> RecordedHostKeys(IEnumerable<ResourceState> states)
    {
        var keys = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var r in states)
            if (r.Provider == ProviderName && r.Inputs.GetOrDefault(K.Store) is { } store && r.Outputs.GetOrDefault(K.HostKey) is { } key)
                keys.TryAdd(store, key);
        return keys.ToImmutable();
    }
}
