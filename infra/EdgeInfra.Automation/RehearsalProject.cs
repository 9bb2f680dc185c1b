using EdgeInfra.Engine.Yaml;
using EdgeInfra.Engine.Config;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Automation;

/// <summary>A throw-away copy of a project for one stack's rehearsal: its own state root and local bare fleet repo,
/// the lab simulator as hub, and the stack's inventory, rings and apps as they are.</summary>
/// <remarks>
/// Everything else of the project (inventory, app manifests) is linked, read only, so the rehearsal renders exactly what
/// the stack would. The copied stack file points the fleet repo at a local bare repo, drops <c>edge-infra:hub</c> (so
/// the hub is the simulator) and <c>edge-infra:health.prometheus</c> (so gates read the simulator's series): the real
/// state, fleet repo, hub and Prometheus are never touched. Deleted on dispose.
/// </remarks>
internal sealed class RehearsalProject : IDisposable
{
    private readonly ProjectFile _source;
    private readonly string _stack;

    private RehearsalProject(ProjectFile source, string stack, string dir)
    {
        _source = source;
        _stack = stack;
        Dir = dir;
    }

    /// <summary>The temp project directory (pass it as <c>--cwd</c> to <see cref="FleetWorkspace.Load"/>).</summary>
    public string Dir { get; }

    /// <summary>Creates the temp project for <paramref name="stack"/> of <paramref name="source"/>, at the stack's
    /// configured app versions.</summary>
    public static RehearsalProject Create(ProjectFile source, string stack)
    {
        if (!string.Equals(Path.GetFullPath(source.StackConfigDir).TrimEnd('/'), Path.GetFullPath(source.ProjectDir).TrimEnd('/'), StringComparison.Ordinal))
            throw new UsageException($"rehearse needs the stack files next to Pulumi.yaml (stackConfigDir is {source.StackConfigDir})");
        var dir = CreateScratchDirectory();
        var project = new RehearsalProject(source, stack, dir);
        try
        {
            var ownFiles = new HashSet<string>(StringComparer.Ordinal) { Path.GetFileName(source.Path), ".edgeinfra", ".git" };
            foreach (var entry in Directory.EnumerateFileSystemEntries(source.ProjectDir))
            {
                var name = Path.GetFileName(entry);
                if (ownFiles.Contains(name) || (name.StartsWith("Pulumi.", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal))) continue;
                if (Directory.Exists(entry)) Directory.CreateSymbolicLink(Path.Combine(dir, name), entry);
                else File.CreateSymbolicLink(Path.Combine(dir, name), entry);
            }
            project.WriteProjectFile();
            project.WriteStack(new Dictionary<string, string>(StringComparer.Ordinal));
            return project;
        }
        catch
        {
            project.Dispose();
            throw;
        }
    }

    /// <summary>Memory-backed scratch space (<c>/dev/shm</c>) when the machine has it with room to spare, else the temp
    /// directory: the rehearsal writes its state, audit and fleet repo thousands of times, and on a disk every synced
    /// write waits for it, for files deleted when the rehearsal ends.</summary>
    private static string CreateScratchDirectory()
    {
        const string memory = "/dev/shm";
        const long roomNeeded = 1L << 30;
        try
        {
            if (!OperatingSystem.IsWindows() && Directory.Exists(memory) && new DriveInfo(memory).AvailableFreeSpace >= roomNeeded)
                // Private to this user, as the temp directory's subdirectories are: /dev/shm is shared by everyone.
                return Directory.CreateDirectory(Path.Combine(memory, $"edgeinfra-rehearse-{Guid.NewGuid():N}"[..31]),
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { }
        return Directory.CreateTempSubdirectory("edgeinfra-rehearse-").FullName;
    }

    /// <summary>Rewrites the copied stack file with <paramref name="versions"/> (app → version) over the stack's own.</summary>
    public void WriteStack(IReadOnlyDictionary<string, string> versions)
    {
        var stream = Load(_source.StackFilePath(_stack));
        var config = Child(Root(stream), "config") as YamlMappingNode ?? throw new UsageException($"{_source.StackFilePath(_stack)}: no config mapping");
        var fleetRepo = new YamlMappingNode { { "url", ".edgeinfra/fleet.git" } };
        if (Child(config, Key("fleetRepo")) is YamlMappingNode real && Child(real, "branch") is { } branch) fleetRepo.Add("branch", branch);
        Set(config, Key("fleetRepo"), fleetRepo);
        Remove(config, Key("hub"));
        if (Child(config, Key("health")) is YamlMappingNode health) Remove(health, "prometheus");
        if (versions.Count > 0 && Child(config, Key("apps")) is YamlMappingNode apps)
            foreach (var (app, version) in versions)
                if (Child(apps, app) is YamlMappingNode spec) Set(spec, "version", new YamlScalarNode(version));
        Save(stream, Path.Combine(Dir, Path.GetFileName(_source.StackFilePath(_stack))));
    }

    /// <summary>Sets the simulator's seed (<c>edge-infra:lab.seed</c>), adding the section when the stack has none.</summary>
    public void SetSeed(ulong seed)
    {
        var path = Path.Combine(Dir, Path.GetFileName(_source.StackFilePath(_stack)));
        var stream = Load(path);
        var config = (YamlMappingNode)Child(Root(stream), "config")!;
        if (Child(config, Key("lab")) is not YamlMappingNode lab) Set(config, Key("lab"), lab = []);
        Set(lab, "seed", new YamlScalarNode(seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Save(stream, path);
    }

    private void WriteProjectFile()
    {
        var stream = Load(_source.Path);
        var root = Root(stream);
        Set(root, "backend", new YamlMappingNode { { "url", ProjectFile.DefaultBackendUrl } });
        Save(stream, Path.Combine(Dir, Path.GetFileName(_source.Path)));
    }

    /// <summary>The key as the stack file may write it: bare or namespaced by the project.</summary>
    private string Key(string name) => $"{_source.Name}:{name}";

    private static YamlStream Load(string path)
    {
        using var reader = new StreamReader(path);
        return YamlParsers.LoadStream(reader);
    }

    private static YamlMappingNode Root(YamlStream stream) =>
        stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m ? m : throw new UsageException("expected a YAML mapping");

    private YamlNode? KeyNode(YamlMappingNode map, string key) => map.Children.Keys.FirstOrDefault(k =>
        k is YamlScalarNode { Value: { } text } && (text == key || ConfigKeys.Qualify(text, _source.Name) == key));

    private YamlNode? Child(YamlMappingNode map, string key) => KeyNode(map, key) is { } k ? map.Children[k] : null;

    private void Set(YamlMappingNode map, string key, YamlNode value)
    {
        if (KeyNode(map, key) is { } k) map.Children[k] = value;
        else map.Add(key, value);
    }

    private void Remove(YamlMappingNode map, string key)
    {
        if (KeyNode(map, key) is { } k) map.Children.Remove(k);
    }

    private static void Save(YamlStream stream, string path)
    {
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp)) stream.Save(writer, assignAnchors: false);
        File.Move(temp, path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            // Links are removed, never followed: the linked project files stay as they are.
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
