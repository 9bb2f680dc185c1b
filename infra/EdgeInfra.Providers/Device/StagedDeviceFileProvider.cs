using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Providers.Device;

/// <summary>The provider for files that belong on a store device (K3s <c>registries.yaml</c>, <c>config.yaml</c>).</summary>
/// <remarks>
/// Until a store is bootstrapped over SSH, its device files are rendered and recorded in the stack state only (secret
/// content encrypted there), so preview shows exactly what a device will receive and history keeps every version.
/// Delivery to the device is the SSH bootstrap provider's job; this provider never claims to have touched a device:
/// its outputs say <c>delivery: staged</c>, and a read reports the staged state back unchanged.
/// </remarks>
public sealed class StagedDeviceFileProvider : IResourceProvider
{
    public const string ProviderName = ProviderNames.Device;
    private static readonly IReadOnlySet<string> Replace = new HashSet<string> { "path" };
    private static readonly PropertyMap StagedOutputs = PropertyMap.Of(("delivery", "staged"));

    public string Name => ProviderName;

    public IReadOnlySet<string> ReplaceKeys(string type) => Replace;

    public ValueTask BeginAsync(ChangeDescription change, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<ProviderResult> CreateAsync(DesiredResource desired, CancellationToken ct) =>
        ValueTask.FromResult(Staged(desired.Inputs));

    public ValueTask<ProviderResult> UpdateAsync(ResourceState current, DesiredResource desired, CancellationToken ct) =>
        ValueTask.FromResult(Staged(desired.Inputs));

    public ValueTask DeleteAsync(ResourceState current, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<ProviderResult?> ReadAsync(ResourceState current, CancellationToken ct) =>
        ValueTask.FromResult<ProviderResult?>(new ProviderResult(current.Id ?? current.Inputs.GetOrDefault("path") ?? "", current.Inputs, current.Outputs));

    public ValueTask<string?> CompleteAsync(CancellationToken ct) => ValueTask.FromResult<string?>(null);

    private static ProviderResult Staged(PropertyMap inputs) =>
        new(inputs.GetOrDefault("path") ?? "", inputs, StagedOutputs);
}
