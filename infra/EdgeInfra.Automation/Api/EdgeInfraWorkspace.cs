using EdgeInfra.Engine.Config;

namespace EdgeInfra.Automation;

/// <summary>A project (the directory holding <c>Pulumi.yaml</c>) opened for automation: the entry point both hosts and a
/// team's own C# code use, shaped like Pulumi's Automation API (a workspace, its stacks, operations on a stack).</summary>
/// <remarks>Operations return typed results and stream their events to the caller; they never print. Each one reads the
/// stack's files afresh, so a long-lived host sees what a CLI run changed in between.</remarks>
public sealed class EdgeInfraWorkspace
{
    private readonly Action<string> _warn;

    private EdgeInfraWorkspace(string projectDir, TimeProvider time, Action<string> warn)
    {
        ProjectDir = projectDir;
        Time = time;
        _warn = warn;
    }

    /// <summary>The directory the project was located from (it or a directory above it holds <c>Pulumi.yaml</c>).</summary>
    public string ProjectDir { get; }

    /// <summary>The clock of the engine's locks, leases and history: the real one outside tests.</summary>
    public TimeProvider Time { get; }

    /// <summary>Opens the project at or above <paramref name="projectDir"/>.</summary>
    /// <param name="warning">Receives warnings a load finds (an override about to expire, a store left out), as they are found.</param>
    /// <exception cref="UsageException">No <c>Pulumi.yaml</c> at or above the directory.</exception>
    public static EdgeInfraWorkspace Load(string projectDir, TimeProvider? time = null, Action<string>? warning = null)
    {
        var dir = CliPaths.Cwd(projectDir);
        ProjectLocator.Load(dir);
        return new EdgeInfraWorkspace(dir, time ?? TimeProvider.System, warning ?? (_ => { }));
    }

    /// <summary>The stack <paramref name="name"/> of the project (e.g. <c>lab</c>, <c>prod</c>); its files are read by each operation.</summary>
    public EdgeInfraStack Stack(string name) => new(this, name, _warn);
}
