using EdgeInfra.Tests.Cli;

namespace EdgeInfra.Tests.Releases;

/// <summary>Serves a lab project's pos-app image from a real registry: its image repository becomes a test's own, and
/// <c>edge-infra:registries</c> points registry.example.com at the registry.</summary>
internal static class LabImageRegistry
{
    public static void Use(LabProject lab, string repo, Uri upstream) => lab.Edit(lab.LabConfig, text =>
        System.Text.RegularExpressions.Regex.Replace(text, @"image: registry\.example\.com/\S+", $"image: registry.example.com/{repo}").TrimEnd() +
        $"\n  edge-infra:registries:\n    registry.example.com: {upstream.ToString().TrimEnd('/')}\n");
}
