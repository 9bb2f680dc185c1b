using System.Text.RegularExpressions;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Reads the version tag out of <c>k3s --version</c> (<c>k3s version v1.30.4+k3s1 (98262b5d)</c> on line 1).</summary>
public static partial class K3sVersionOutput
{
    public static string? Parse(string output)
    {
        var first = output.Split('\n', 2)[0].Trim();
        var tokens = first.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length >= 3 && tokens[0] == "k3s" && tokens[1] == "version" ? tokens[2] : null;
    }

    /// <summary>A K3s release tag such as <c>v1.30.4+k3s1</c> or <c>v1.29.1-rc2+k3s1</c>.</summary>
    public static bool IsValidTag(string version) => TagPattern().IsMatch(version);

    [GeneratedRegex(@"^v[0-9]+\.[0-9]+\.[0-9]+(-rc[0-9]+)?\+k3s[0-9]+\z")]
    private static partial Regex TagPattern();
}
