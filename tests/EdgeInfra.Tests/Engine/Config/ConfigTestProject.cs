using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

/// <summary>A throwaway project directory holding a Pulumi.yaml and stack files.</summary>
internal sealed class ConfigTestProject : IDisposable
{
    public const int FastIterations = 1_000;

    public const string DefaultProjectYaml = """
        name: edge-infra
        runtime: dotnet
        description: Edge fleet
        config:
          rings:
            type: array
            items:
              type: object
            description: Rollout rings
          replicas:
            type: integer
            default: 2
          region: emea
          enabled:
            type: boolean
          registryToken:
            type: string
            secret: true
            description: set with config set --secret
          apps:
            type: object
            default: {}
          kubernetes:context:
            value: lab
        """;

    public ConfigTestProject(string projectYaml = DefaultProjectYaml)
    {
        Dir = Path.Combine(Path.GetTempPath(), "edgeinfra-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "Pulumi.yaml"), projectYaml);
    }

    public string Dir { get; }
    public string ProjectPath => Path.Combine(Dir, "Pulumi.yaml");

    public ProjectFile Load() => ProjectFile.Load(ProjectPath);

    public string StackPath(string stack) => Path.Combine(Dir, $"Pulumi.{stack}.yaml");

    public void WriteStack(string stack, string yaml) => File.WriteAllText(StackPath(stack), yaml);

    public string ReadStack(string stack) => File.ReadAllText(StackPath(stack));

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
