namespace EdgeInfra.Engine.Config;

/// <summary>Finds the project a directory belongs to: the nearest directory upward holding Pulumi.yaml (or Pulumi.yml).</summary>
public static class ProjectLocator
{
    private static readonly string[] FileNames = ["Pulumi.yaml", "Pulumi.yml"];

    /// <summary>The project file directly inside <paramref name="dir"/>, or null.</summary>
    public static string? InDirectory(string dir) =>
        FileNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);

    /// <summary>The path of the nearest Pulumi.yaml/Pulumi.yml at or above <paramref name="startDir"/>, or null.</summary>
    public static string? TryFind(string startDir)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDir)); dir is not null; dir = dir.Parent)
            if (InDirectory(dir.FullName) is { } path) return path;
        return null;
    }

    /// <summary>The path of the nearest Pulumi.yaml/Pulumi.yml at or above <paramref name="startDir"/>; a clear error when there is none.</summary>
    public static string Find(string startDir) =>
        TryFind(startDir) ?? throw new ConfigException(
            $"no Pulumi.yaml project file found in '{Path.GetFullPath(startDir)}' or any parent directory (use --cwd to point at the project)");

    /// <summary>Finds and loads the nearest project at or above <paramref name="startDir"/>.</summary>
    public static ProjectFile Load(string startDir) => ProjectFile.Load(Find(startDir));
}
