using static EdgeInfra.Providers.Ssh.ShellQuote;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Commands that write files onto a device through their stdin (no shell ever sees the content).</summary>
internal static class DeviceFiles
{
    /// <summary>The command that writes its stdin to <paramref name="path"/>: beside the target, then renamed over it, so
    /// K3s never reads a torn file, even if the run is killed.</summary>
    public static string WriteCommand(string path, string mode)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        var temp = $"{path}.edgeinfra-tmp";
        return $"umask 077 && mkdir -p -- {Quote(dir)} && cat > {Quote(temp)} && chmod {Quote(mode)} -- {Quote(temp)} && mv -f -- {Quote(temp)} {Quote(path)}";
    }

    public static async Task<DeviceCommandResult> RunCheckedAsync(SshDeviceConnection device, string kind, string command, string what, CancellationToken ct)
    {
        var result = await device.RunAsync(kind, what, command, null, ct);
        if (result.ExitStatus != 0) throw new DeviceCommandException(device.Endpoint.Store, what, result.ExitStatus, result.Stderr);
        return result;
    }
}
