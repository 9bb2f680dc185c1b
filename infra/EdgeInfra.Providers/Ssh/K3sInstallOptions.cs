namespace EdgeInfra.Providers.Ssh;

/// <summary>How K3s gets onto a device: the upstream install script, or air-gapped from a local artifacts directory.</summary>
public enum K3sInstallMode
{
    /// <summary>The device downloads the install script (and the script the binary) itself.</summary>
    Script,

    /// <summary>EdgeInfra uploads <c>k3s</c>, <c>install.sh</c> and any <c>k3s-airgap-images-*</c> from the artifacts directory.</summary>
    Airgap,
}

/// <summary>The K3s install settings the SSH provider needs.</summary>
/// <param name="ScriptUrl">Where the device fetches the install script in <see cref="K3sInstallMode.Script"/> mode.</param>
/// <param name="ArtifactsDir">The local directory holding the air-gap artifacts in <see cref="K3sInstallMode.Airgap"/> mode.</param>
public sealed record K3sInstallOptions(K3sInstallMode Mode, string ScriptUrl, string? ArtifactsDir)
{
    public const string DefaultScriptUrl = "https://get.k3s.io";
}
