using System.Text.RegularExpressions;

namespace EdgeInfra.Components.Rendering;

/// <summary>What an app's release version and a Helm chart version may be: a SemVer 2.0 version, bounded in length.</summary>
/// <remarks>
/// The release version becomes the bundle's <c>edgeinfra.io/release</c> label, the image tag and a commit trailer, so it
/// must be a valid Kubernetes label value and image tag too: at most 63 characters and no build metadata (<c>+</c> is
/// allowed in neither). A chart version is only Helm's, which accepts SemVer build metadata (up to 128 characters).
/// </remarks>
public static partial class ReleaseVersion
{
    public const int MaxLength = 63;
    public const int MaxChartLength = 128;

    public static bool IsValid(string version) =>
        version.Length <= MaxLength && SemVer().Match(version) is { Success: true } m && !m.Groups["build"].Success;

    public static bool IsValidChartVersion(string version) =>
        version.Length <= MaxChartLength && SemVer().IsMatch(version);

    public const string Rule = "a SemVer version such as 2.4.1 or 2.5.0-rc.1 (optionally with a leading v; at most 63 characters, no +build part)";

    public const string ChartRule = "a SemVer version such as 1.2.3 or 1.2.3-rc.1+build.5 (optionally with a leading v; at most 128 characters)";

    // semver.org's regular expression, with \z (not $, which also matches before a trailing newline).
    [GeneratedRegex(@"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?<build>\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();
}
