using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using Microsoft.Extensions.Time.Testing;

namespace EdgeInfra.Tests.Engine;

/// <summary>A transactional provider like the fleet repo: steps stage changes, CompleteAsync publishes them.</summary>
internal sealed class FakeProvider(string name = "fake") : IResourceProvider
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProviderResult> _staged = [];
    private readonly HashSet<string> _stagedDeletes = [];
    private int _running;

    public string Name => name;
    public ConcurrentDictionary<string, ProviderResult> Live { get; } = new();
    public ConcurrentQueue<string> Calls { get; } = new();
    public int MaxConcurrency { get; private set; }
    public int Begins { get; private set; }
    public int Completes { get; private set; }
    public ChangeDescription? LastChange { get; private set; }
    public TimeSpan Delay { get; set; }
    public Func<string, bool>? FailOn { get; set; }
    public Func<string, CancellationTokenSource?>? CancelOn { get; set; }
    public bool FailComplete { get; set; }
    public IReadOnlySet<string> ReplaceKeySet { get; set; } = new HashSet<string> { "path" };

    public IReadOnlySet<string> ReplaceKeys(string type) => ReplaceKeySet;

    public ValueTask BeginAsync(ChangeDescription change, CancellationToken ct)
    {
        lock (_gate) { Begins++; LastChange = change; }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ProviderResult> CreateAsync(DesiredResource desired, CancellationToken ct)
    {
        var id = IdOf(desired.Inputs, desired.Name);
        await Step($"create {desired.Name}", ct);
        var r = new ProviderResult(id, desired.Inputs, PropertyMap.Of(("id", id)));
        lock (_gate) { _staged[id] = r; _stagedDeletes.Remove(id); }
        return r;
    }

    public async ValueTask<ProviderResult> UpdateAsync(ResourceState current, DesiredResource desired, CancellationToken ct)
    {
        var id = IdOf(desired.Inputs, desired.Name);
        await Step($"update {desired.Name}", ct);
        var r = new ProviderResult(id, desired.Inputs, PropertyMap.Of(("id", id)));
        lock (_gate) { _staged[id] = r; _stagedDeletes.Remove(id); }
        return r;
    }

    public async ValueTask DeleteAsync(ResourceState current, CancellationToken ct)
    {
        await Step($"delete {current.Urn.Name}", ct);
        lock (_gate) { _staged.Remove(current.Id!); _stagedDeletes.Add(current.Id!); }
    }

    public ValueTask<ProviderResult?> ReadAsync(ResourceState current, CancellationToken ct)
    {
        Calls.Enqueue($"read {current.Urn.Name}");
        var id = current.Id ?? IdOf(current.Inputs, current.Urn.Name);
        return ValueTask.FromResult(Live.TryGetValue(id, out var r) ? r : null);
    }

    public ValueTask<string?> CompleteAsync(CancellationToken ct)
    {
        lock (_gate) Completes++;
        ct.ThrowIfCancellationRequested();
        if (FailComplete) throw new IOException("push rejected");
        lock (_gate)
        {
            foreach (var (id, r) in _staged) Live[id] = r;
            foreach (var id in _stagedDeletes) Live.TryRemove(id, out _);
            _staged.Clear();
            _stagedDeletes.Clear();
        }
        return ValueTask.FromResult<string?>($"rev-{Completes}");
    }

    private async Task Step(string call, CancellationToken ct)
    {
        var now = Interlocked.Increment(ref _running);
        lock (_gate) MaxConcurrency = Math.Max(MaxConcurrency, now);
        try
        {
            Calls.Enqueue(call);
            if (CancelOn?.Invoke(call) is { } cts) await cts.CancelAsync();
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, ct);
            else await Task.Yield();
            ct.ThrowIfCancellationRequested();
            if (FailOn?.Invoke(call) == true) throw new InvalidOperationException($"boom: {call}");
        }
        finally { Interlocked.Decrement(ref _running); }
    }

    public static string IdOf(PropertyMap inputs, string name) => inputs.GetOrDefault("path") ?? name;

    public List<string> CallList(string prefix = "") => [.. Calls.Where(c => c.StartsWith(prefix, StringComparison.Ordinal))];
}

/// <summary>A reversible, obviously-not-plaintext secrets manager for tests.</summary>
internal sealed class FakeSecrets : ISecretsManager
{
    public string Type => "passphrase";
    public string StateJson => """{"salt":"v1:fake"}""";
    public string Encrypt(string plaintext) => "v1:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext).Reverse().ToArray());
    public string Decrypt(string ciphertext) => Encoding.UTF8.GetString(Convert.FromBase64String(ciphertext[3..]).Reverse().ToArray());
}

/// <summary>A temp project directory with a backend, a fake provider and an engine.</summary>
internal sealed class EngineFixture : IDisposable
{
    public const string Project = "edge-infra";

    public EngineFixture(ISecretsManager? secrets = null, FakeTimeProvider? time = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "edgeinfra-engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero));
        Secrets = secrets;
        Backend = new FileStateBackend(Root, Project, Time, secrets);
        Engine = new StackEngine(Backend, new Dictionary<string, IResourceProvider> { ["fake"] = Provider }, Time);
    }

    public string Root { get; }
    public FakeTimeProvider Time { get; }
    public ISecretsManager? Secrets { get; }
    public FileStateBackend Backend { get; }
    public FakeProvider Provider { get; } = new();
    public StackEngine Engine { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Builds small desired stacks.</summary>
internal sealed class StackSpec(string stack)
{
    private readonly List<DesiredResource> _resources = [];

    public string Stack => stack;
    public Urn Root => Urn.Create(stack, EngineFixture.Project, Urn.StackRootType, $"{EngineFixture.Project}-{stack}");

    public Urn UrnOf(string name, string type = "test:index:File", Urn? parent = null) =>
        Urn.CreateChild(parent ?? Root, type, name);

    public StackSpec File(string name, string content, Urn? parent = null, ResourceOptions? options = null,
        string? moveKey = null, bool secret = false, string? path = null)
    {
        var urn = UrnOf(name, parent: parent);
        _resources.Add(new DesiredResource(urn, true, parent ?? Root, "fake",
            PropertyMap.Of(("path", path ?? $"files/{name}.yaml"), ("content", content)), options ?? ResourceOptions.Default)
        {
            MoveKey = moveKey, SecretInputs = secret ? ["content"] : [],
        });
        return this;
    }

    public StackSpec Component(string name, string? moveKey = null, params (string, string)[] inputs)
    {
        _resources.Add(new DesiredResource(UrnOf(name, "test:index:Store"), false, Root, null, PropertyMap.Of(inputs), ResourceOptions.Default)
        {
            MoveKey = moveKey,
        });
        return this;
    }

    public DesiredStack Build() =>
        new(stack, EngineFixture.Project, [.. _resources], ImmutableSortedDictionary<string, string>.Empty.Add("count", _resources.Count.ToString()));
}
