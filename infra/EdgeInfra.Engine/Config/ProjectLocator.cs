namespace EdgeInfra.Engine.Config;

/// <summary>Finds the project a directory belongs to: the nearest directory upward holding Pulumi.yaml (or Pulumi.yml).</summary>
public static class ProjectLocator
{
    /// <summary>Returns the path of the nearest Pulumi.yaml/Pulumi.yml at or above <paramref name="startDir"/>, or null.</summary>
    public static string? FindPath(string startDir)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDir)); dir is not null; dir = dir.Parent)
        {
            foreach (var name in new[] { "Pulumi.yaml", "Pulumi.yml" })
            {
                var candidate = Path.Combine(dir.FullName, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Loads the nearest project at or above <paramref name="startDir"/>; a clear error when there is none.</summary>
    public static ProjectFile Find(string startDir) =>
        FindPath(startDir) is { } path
            ? ProjectFile.Load(path)
            : throw new ConfigException(
                $"no Pulumi.yaml project file found in '{Path.GetFullPath(startDir)}' or any parent directory (use --cwd to point at the project)");
}
