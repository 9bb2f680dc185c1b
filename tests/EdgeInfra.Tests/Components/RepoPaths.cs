namespace EdgeInfra.Tests.Components;

/// <summary>Locates the repository (the dir holding EdgeInfra.sln) and the shared reference data next to it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ReferenceData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference", "data"));

    public static string GoldenDir(string part) => Path.Combine(Root, "tests", "EdgeInfra.Tests", "Golden", part);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeInfra.sln"))) return dir.FullName;
        throw new InvalidOperationException($"EdgeInfra.sln not found above {AppContext.BaseDirectory}");
    }
}
