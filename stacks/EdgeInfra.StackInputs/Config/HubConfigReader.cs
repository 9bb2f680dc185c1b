using EdgeInfra.Engine.Config;

namespace EdgeInfra.StackInputs.Config;

/// <summary>Reads <c>edge-infra:hub</c>: the kubeconfig and context of the Fleet hub, or nothing in the lab.</summary>
public static class HubConfigReader
{
    /// <summary>Reads and checks the stack's hub config; throws <see cref="FleetModelException"/> listing every problem.</summary>
    /// <param name="projectDir">A relative kubeconfig path resolves against the directory holding Pulumi.yaml.</param>
    public static HubSettings Load(IStackConfig config, string projectDir)
    {
        var problems = new List<string>();
        var settings = Read(config.Get(FleetConfigKeys.Hub), projectDir, new ConfigReader(problems));
        if (problems.Count > 0) throw new FleetModelException(problems);
        return settings;
    }

    internal static HubSettings Read(ConfigEntry? entry, string projectDir, ConfigReader reader)
    {
        if (entry is null) return new HubSettings(null, null, HubSettings.DefaultRequestTimeout);
        var root = new ConfigNode(entry.Value, entry.File, FleetConfigKeys.Hub);
        var f = reader.Fields(root, "kubeconfig", "context", "timeout");
        var kubeconfig = reader.String(f, "kubeconfig", root);
        var context = reader.String(f, "context", root);
        var timeout = reader.Duration(f, "timeout", root) ?? HubSettings.DefaultRequestTimeout;
        if (timeout <= TimeSpan.Zero) reader.Problem(f["timeout"], "must be above 0");
        if (string.IsNullOrWhiteSpace(kubeconfig))
        {
            if (!string.IsNullOrEmpty(context)) reader.Problem(f["context"], "a context needs a kubeconfig");
            return new HubSettings(null, null, timeout);
        }
        var path = ExpandHome(kubeconfig);
        path = Path.GetFullPath(Path.Combine(projectDir, path));
        return new HubSettings(path, string.IsNullOrEmpty(context) ? null : context, timeout);
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;
}
