namespace EdgeInfra.Tests.Components;

/// <summary>Locates the repository (the dir holding EdgeInfra.sln) and the test data vendored into it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Fleet's documented fleet.yaml examples, vendored (see the NOTICE.md beside them).</summary>
    public static string FleetExamples => Path.Combine(Root, "tests", "EdgeInfra.Tests", "Components", "FleetExamples");

    public static string GoldenDir(string part) => Path.Combine(Root, "tests", "EdgeInfra.Tests", "Golden", part);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeInfra.sln"))) return dir.FullName;
        throw new InvalidOperationException($"EdgeInfra.sln not found above {AppContext.BaseDirectory}");
    }
}
