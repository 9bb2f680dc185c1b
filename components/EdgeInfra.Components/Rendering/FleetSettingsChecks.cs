using System.Text.RegularExpressions;
using EdgeInfra.Components.Model;

namespace EdgeInfra.Components.Rendering;

/// <summary>Checks the hub settings every rendered GitRepo and Cluster depends on.</summary>
public static partial class FleetSettingsChecks
{
    public static IReadOnlyList<string> Problems(FleetSettings settings)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.Workspace)) problems.Add("fleet settings: workspace is empty");
        if (string.IsNullOrWhiteSpace(settings.RepoUrl)) problems.Add("fleet settings: fleet repo URL is empty");
        if (string.IsNullOrWhiteSpace(settings.Branch)) problems.Add("fleet settings: fleet repo branch is empty");
        // Fleet's CRD accepts Go durations only; an absent interval silently becomes 15s, or 1h after a webhook.
        if (!GoDuration().IsMatch(settings.PollingInterval ?? ""))
            problems.Add($"fleet settings: pollingInterval '{settings.PollingInterval}' must be a Go duration such as 1m or 30s (no d/w units)");
        return problems;
    }

    [GeneratedRegex(@"^([0-9]+([.][0-9]+)?(ns|us|µs|ms|s|m|h))+\z")]
    private static partial Regex GoDuration();
}
