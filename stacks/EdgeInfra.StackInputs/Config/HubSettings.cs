namespace EdgeInfra.StackInputs.Config;

/// <summary>How the rollout host reaches the Fleet hub (<c>edge-infra:hub</c>): a kubeconfig and context, or the lab's
/// embedded simulator when no kubeconfig is configured.</summary>
/// <param name="Kubeconfig">Absolute path of the kubeconfig file; null in the lab.</param>
/// <param name="Context">The kubeconfig context to use; null means the file's current context.</param>
/// <param name="RequestTimeout">How long one hub request may take before it is retried.</param>
public sealed record HubSettings(string? Kubeconfig, string? Context, TimeSpan RequestTimeout)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The lab: no kubeconfig, so the embedded Fleet simulator is the hub.</summary>
    public bool IsLab => Kubeconfig is null;
}
