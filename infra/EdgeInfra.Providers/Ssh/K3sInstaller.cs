using static EdgeInfra.Providers.Ssh.ShellQuote;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Installs K3s at a pinned version on a device: through the install script, or air-gapped from local artifacts.</summary>
/// <remarks>
/// The installer runs with <c>INSTALL_K3S_SKIP_START=true</c> and a fixed <c>INSTALL_K3S_EXEC=server</c>: everything else
/// is in <c>config.yaml</c>, and the K3s service resource restarts K3s once after all files and the binary are in place
/// (the installer's own restart does not notice config changes). Success is checked with <c>k3s --version</c>.
/// </remarks>
internal sealed class K3sInstaller(K3sInstallOptions options)
{
    /// <summary>Prints <c>k3s --version</c>, or nothing when K3s is not installed.</summary>
    public const string VersionProbe = "if command -v k3s >/dev/null 2>&1; then k3s --version; fi";

    private const string WorkDir = "/var/lib/rancher/edgeinfra";
    private const string BinaryPath = "/usr/local/bin/k3s";
    private const string ImagesDir = "/var/lib/rancher/k3s/agent/images";

    public static async Task<string?> InstalledVersionAsync(SshDeviceConnection device, CancellationToken ct)
    {
        var result = await DeviceFiles.RunCheckedAsync(device, VersionProbe, "k3s --version", ct);
        return K3sVersionOutput.Parse(result.Stdout);
    }

    public async Task InstallAsync(SshDeviceConnection device, string version, CancellationToken ct)
    {
        if (!K3sVersionOutput.IsValidTag(version)) throw new ArgumentException($"'{version}' is not a K3s release tag (e.g. v1.30.4+k3s1)", nameof(version));
        var script = $"{WorkDir}/install.sh";
        var environment = new List<string>
        {
            Assignment("INSTALL_K3S_VERSION", version),
            Assignment("INSTALL_K3S_EXEC", "server"),
            Assignment("INSTALL_K3S_SKIP_START", "true"),
        };
        if (options.Mode == K3sInstallMode.Airgap)
        {
            var dir = options.ArtifactsDir ?? throw new InvalidOperationException("air-gapped K3s install needs an artifacts directory");
            await UploadAsync(device, Path.Combine(dir, "k3s"), BinaryPath, "755", ct);
            foreach (var images in Directory.EnumerateFiles(dir, "k3s-airgap-images-*").Order(StringComparer.Ordinal))
                await UploadAsync(device, images, $"{ImagesDir}/{Path.GetFileName(images)}", "644", ct);
            await UploadAsync(device, Path.Combine(dir, "install.sh"), script, "700", ct);
            environment.Add(Assignment("INSTALL_K3S_SKIP_DOWNLOAD", "true"));
        }
        else
        {
            var fetch = $"mkdir -p -- {Quote(WorkDir)} && curl -sfL {Quote(options.ScriptUrl)} -o {Quote(script)}";
            await DeviceFiles.RunCheckedAsync(device, fetch, "downloading the K3s install script", ct);
        }
        await DeviceFiles.RunCheckedAsync(device, $"{string.Join(' ', environment)} sh {Quote(script)}", "the K3s install script", ct);
        var installed = await InstalledVersionAsync(device, ct);
        if (installed != version)
            throw new DeviceCommandException(device.Endpoint.Store, "installing K3s", 1,
                $"after installing, k3s --version reports {installed ?? "nothing"}, expected {version}" +
                (options.Mode == K3sInstallMode.Airgap ? $" (is {Path.Combine(options.ArtifactsDir!, "k3s")} that release?)" : ""));
    }

    private static async Task UploadAsync(SshDeviceConnection device, string local, string remote, string mode, CancellationToken ct)
    {
        if (!File.Exists(local)) throw new FileNotFoundException($"K3s air-gap artifact {local} is missing", local);
        await using var content = File.OpenRead(local);
        await DeviceFiles.WriteAsync(device, remote, content, mode, ct);
    }
}
