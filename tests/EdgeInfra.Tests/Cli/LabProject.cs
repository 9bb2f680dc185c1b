using EdgeInfra.Tests.Components;

namespace EdgeInfra.Tests.Cli;

/// <summary>A throw-away copy of the shipped project (Pulumi.yaml, the lab and prod stacks, apps) in a temp dir.</summary>
internal sealed class LabProject : IDisposable
{
    public LabProject()
    {
        Dir = Directory.CreateTempSubdirectory("edgeinfra-cli-").FullName;
        foreach (var f in new[] { "Pulumi.yaml", "Pulumi.lab.yaml", "Pulumi.prod.yaml" })
            File.Copy(Path.Combine(RepoPaths.Root, f), Path.Combine(Dir, f));
        CopyDir(Path.Combine(RepoPaths.Root, "stacks", "apps"), Path.Combine(Dir, "stacks", "apps"));
        CopyDir(Path.Combine(RepoPaths.Root, "stacks", "lab"), Path.Combine(Dir, "stacks", "lab"));
        CopyDir(Path.Combine(RepoPaths.Root, "stacks", "prod"), Path.Combine(Dir, "stacks", "prod"));
    }

    public string Dir { get; }
    public string FleetRepo => Path.Combine(Dir, ".edgeinfra", "fleet.git");
    public string LabInventory => Path.Combine(Dir, "stacks", "lab", "stores.yaml");
    public string LabConfig => Path.Combine(Dir, "Pulumi.lab.yaml");

    /// <summary>Runs a verb against this project: <c>--cwd</c> is added.</summary>
    public Task<CliRun> Run(params string[] args) => CliRunner.RunAsync([.. args, "--cwd", Dir]);

    public void Edit(string path, Func<string, string> change)
    {
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }

    private static void CopyDir(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { /* a child process may still hold a file; the temp dir is cleaned by the OS */ }
    }
}
