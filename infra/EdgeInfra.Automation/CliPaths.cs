namespace EdgeInfra.Automation;

/// <summary>Resolves the directory a verb runs in (<c>--cwd</c>, else the process's working directory).</summary>
internal static class CliPaths
{
    public static string Cwd(string? option) => Path.GetFullPath(option ?? Directory.GetCurrentDirectory());
}
