using System.Formats.Tar;
using static EdgeInfra.Providers.Ssh.ShellQuote;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Installs K3s at a pinned version on a device: through the install script, or air-gapped from local artifacts.</summary>
/// <remarks>
/// The installer runs with <c>INSTALL_K3S_SKIP_START=true</c> and a fixed <c>INSTALL_K3S_EXEC=server</c>: everything else
/// is in <c>config.yaml</c>, and the K3s service resource restarts K3s once after all files and the binary are in place
/// (the installer's own restart does not notice config changes). The whole install is one command on the device (round
/// trips dominate on slow links): air-gap artifacts travel as one tar stream on its stdin, are unpacked beside their
/// targets and renamed into place, and the command ends by printing <c>k3s --version</c>, which must be the pinned one.
/// </remarks>
internal sealed class K3sInstaller(K3sInstallOptions options) : IDisposable
{
    /// <summary>Prints <c>k3s --version</c>, or nothing when K3s is not installed.</summary>
    public const string VersionProbe = "if command -v k3s >/dev/null 2>&1; then k3s --version; fi";

    private const string WorkDir = "/var/lib/rancher/edgeinfra";
    private const string Stage = WorkDir + "/stage";
    private const string BinaryPath = "/usr/local/bin/k3s";
    private const string ImagesDir = "/var/lib/rancher/k3s/agent/images";
    private const string VersionMarker = "edgeinfra: installed version";

    private readonly Lazy<string> _bundle = new(() => Bundle(options.ArtifactsDir
        ?? throw new InvalidOperationException("air-gapped K3s install needs an artifacts directory")));

    public async Task InstallAsync(SshDeviceConnection device, string version, CancellationToken ct)
    {
        if (!K3sVersionOutput.IsValidTag(version)) throw new ArgumentException($"'{version}' is not a K3s release tag (e.g. v1.30.4+k3s1)", nameof(version));
        var environment = new List<string>
        {
            Assignment("INSTALL_K3S_VERSION", version),
            Assignment("INSTALL_K3S_EXEC", "server"),
            Assignment("INSTALL_K3S_SKIP_START", "true"),
        };
        string command;
        Stream? stdin = null;
        if (options.Mode == K3sInstallMode.Airgap)
        {
            environment.Add(Assignment("INSTALL_K3S_SKIP_DOWNLOAD", "true"));
            command = $"set -e; umask 022; rm -rf {Quote(Stage)}; mkdir -p {Quote(Stage)} {Quote(ImagesDir)} {Quote(Path.GetDirectoryName(BinaryPath)!)}; " +
                      $"tar -xf - -C {Quote(Stage)}; " +
                      $"for f in {Quote(Stage)}/images/*; do if [ -f \"$f\" ]; then mv -f \"$f\" {Quote(ImagesDir)}/; fi; done; " +
                      $"mv -f {Quote(Stage + "/k3s")} {Quote(BinaryPath)}; " +
                      $"{string.Join(' ', environment)} sh {Quote(Stage + "/install.sh")}; ";
            stdin = File.OpenRead(_bundle.Value);
        }
        else
        {
            var script = $"{WorkDir}/install.sh";
            command = $"set -e; mkdir -p {Quote(WorkDir)}; curl -sfL {Quote(options.ScriptUrl)} -o {Quote(script)}; " +
                      $"{string.Join(' ', environment)} sh {Quote(script)}; ";
        }
        command += $"echo {Quote(VersionMarker)}; {VersionProbe}";
        DeviceCommandResult result;
        await using (stdin)
            result = await device.RunAsync("install", version, command, stdin, ct);
        if (result.ExitStatus != 0) throw new DeviceCommandException(device.Endpoint.Store, "installing K3s", result.ExitStatus, result.Stderr);
        var marker = result.Stdout.LastIndexOf(VersionMarker, StringComparison.Ordinal);
        var installed = marker < 0 ? null : K3sVersionOutput.Parse(result.Stdout[(marker + VersionMarker.Length)..].TrimStart('\n'));
        if (installed != version)
            throw new DeviceCommandException(device.Endpoint.Store, "installing K3s", 1,
                $"after installing, k3s --version reports {installed ?? "nothing"}, expected {version}" +
                (options.Mode == K3sInstallMode.Airgap ? $" (is {Path.Combine(options.ArtifactsDir!, "k3s")} that release?)" : ""));
    }

    /// <summary>The air-gap artifacts as one tar file (built once per run, sent to every device): <c>k3s</c>,
    /// <c>install.sh</c> and <c>images/k3s-airgap-images-*</c>.</summary>
    private static string Bundle(string dir)
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgeinfra-k3s-{Guid.NewGuid():N}.tar");
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Pax);
        Add(tar, Path.Combine(dir, "k3s"), "k3s", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Add(tar, Path.Combine(dir, "install.sh"), "install.sh", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var images in Directory.EnumerateFiles(dir, "k3s-airgap-images-*").Order(StringComparer.Ordinal))
            Add(tar, images, $"images/{Path.GetFileName(images)}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    private static void Add(TarWriter tar, string local, string name, UnixFileMode mode)
    {
        if (!File.Exists(local)) throw new FileNotFoundException($"K3s air-gap artifact {local} is missing", local);
        using var data = File.OpenRead(local);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = mode });
    }

    public void Dispose()
    {
        if (_bundle.IsValueCreated) File.Delete(_bundle.Value);
    }
}
