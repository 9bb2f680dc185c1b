using static EdgeInfra.Providers.Ssh.ShellQuote;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Writes files onto a device through a command's stdin (no shell ever sees the content).</summary>
internal static class DeviceFiles
{
    /// <summary>Writes beside the target and renames over it, so K3s never reads a torn file, even if the run is killed.</summary>
    public static async Task WriteAsync(SshDeviceConnection device, string path, Stream content, string mode, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        var temp = $"{path}.edgeinfra-tmp";
        var command = $"umask 077 && mkdir -p -- {Quote(dir)} && cat > {Quote(temp)} && chmod {Quote(mode)} -- {Quote(temp)} && mv -f -- {Quote(temp)} {Quote(path)}";
        var result = await device.RunAsync("write", path, command, content, ct);
        if (result.ExitStatus != 0) throw new DeviceCommandException(device.Endpoint.Store, $"writing {path}", result.ExitStatus, result.Stderr);
    }

    public static async Task<DeviceCommandResult> RunCheckedAsync(SshDeviceConnection device, string kind, string command, string what, CancellationToken ct)
    {
        var result = await device.RunAsync(kind, what, command, null, ct);
        if (result.ExitStatus != 0) throw new DeviceCommandException(device.Endpoint.Store, what, result.ExitStatus, result.Stderr);
        return result;
    }
}
