namespace EdgeInfra.Engine.Config;

/// <summary>A loaded and validated Pulumi project file (<c>Pulumi.yaml</c>): name, backend, stack file location and config schema.</summary>
/// <param name="Name">Project name, also the default config namespace.</param>
/// <param name="BackendUrl">The <c>backend.url</c> as written (default <c>file://.edgeinfra</c>).</param>
/// <param name="StateRoot">Absolute directory the file backend keeps state in (relative URLs resolve against <see cref="ProjectDir"/>).</param>
/// <param name="StackConfigDir">Absolute directory holding the <c>Pulumi.&lt;stack&gt;.yaml</c> files.</param>
/// <param name="ProjectDir">Absolute directory holding Pulumi.yaml.</param>
/// <param name="Path">Absolute path of Pulumi.yaml itself.</param>
/// <param name="Config">The typed <c>config:</c> schema, by fully namespaced key, in file order.</param>
public sealed record ProjectFile(
    string Name,
    string? Description,
    string BackendUrl,
    string StateRoot,
    string StackConfigDir,
    string ProjectDir,
    string Path,
    IReadOnlyDictionary<string, ConfigSchemaEntry> Config)
{
    public const string DefaultBackendUrl = "file://.edgeinfra";

    /// <summary>Loads and validates a project file (or the Pulumi.yaml inside a directory); throws
    /// <see cref="ConfigException"/> listing every problem with file:line.</summary>
    public static ProjectFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            full = ProjectLocator.InDirectory(full) ?? throw new ConfigException($"{full}: no Pulumi.yaml in this directory");
        if (!File.Exists(full)) throw new ConfigException($"{full}: project file not found");
        return ProjectFileParser.Parse(full, File.ReadAllText(full));
    }

    /// <summary>A path as messages show it: relative to the project directory.</summary>
    public string Display(string path) => System.IO.Path.GetRelativePath(ProjectDir, path).Replace('\\', '/');

    /// <summary>Reads a stack's settings file; its YAML errors name it relative to the project.</summary>
    internal StackFile ReadStackFile(string stack)
    {
        var path = StackFilePath(stack);
        return StackFile.Read(path, Display(path));
    }

    /// <summary>The path of a stack's settings file, <c>&lt;StackConfigDir&gt;/Pulumi.&lt;stack&gt;.yaml</c>.</summary>
    public string StackFilePath(string stack)
    {
        StackNames.Validate(stack);
        return System.IO.Path.Combine(StackConfigDir, $"Pulumi.{stack}.yaml");
    }
}
