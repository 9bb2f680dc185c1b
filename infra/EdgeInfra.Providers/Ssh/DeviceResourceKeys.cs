namespace EdgeInfra.Providers.Ssh;

/// <summary>The input and output keys of the device resources the SSH provider serves (the fleet components render them).</summary>
public static class DeviceResourceKeys
{
    /// <summary>The store whose device the resource lives on.</summary>
    public const string Store = "store";
    public const string Path = "path";
    public const string Content = "content";
    public const string K3sVersion = "k3sVersion";
    public const string InstallMode = "installMode";

    /// <summary>On the K3s service resource: <c>watch.&lt;path&gt;</c> = SHA-256 (hex) of a file whose change restarts K3s.</summary>
    public const string WatchPrefix = "watch.";

    /// <summary>Output: the device's host key fingerprint, recorded on first contact and enforced after.</summary>
    public const string HostKey = "hostKey";
}
