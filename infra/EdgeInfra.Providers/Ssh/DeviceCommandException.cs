namespace EdgeInfra.Providers.Ssh;

/// <summary>A command on a store's device exited non-zero (its stderr, never its stdin, is in the message).</summary>
public sealed class DeviceCommandException(string store, string what, int exitStatus, string stderr)
    : Exception($"store '{store}': {what} failed (exit {exitStatus}){(string.IsNullOrWhiteSpace(stderr) ? "" : ": " + stderr.Trim())}")
{
    public int ExitStatus => exitStatus;
}
