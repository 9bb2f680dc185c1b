using EdgeInfra.Engine.Config;

namespace EdgeInfra.Tests.Engine.Config;

public sealed class ProjectFileTests
{
    [Fact]
    public void Load_ValidProject_ReadsNameSchemaAndDefaults()
    {
        using var p = new ConfigTestProject();
        var project = p.Load();

        Assert.Equal("edge-infra", project.Name);
        Assert.Equal("Edge fleet", project.Description);
        Assert.Equal(ProjectFile.DefaultBackendUrl, project.BackendUrl);
        Assert.Equal(Path.Combine(p.Dir, ".edgeinfra"), project.StateRoot);
        Assert.Equal(p.Dir, project.StackConfigDir);
        Assert.Equal(p.Dir, project.ProjectDir);
        Assert.Equal(["edge-infra:rings", "edge-infra:replicas", "edge-infra:region", "edge-infra:enabled",
            "edge-infra:registryToken", "edge-infra:apps", "kubernetes:context"], project.Config.Keys);
        var rings = project.Config["edge-infra:rings"];
        Assert.Equal("array<object>", rings.FullTypeName);
        Assert.True(rings.IsRequired("edge-infra"));
        Assert.Equal(5, rings.Line);
        Assert.False(project.Config["edge-infra:replicas"].IsRequired("edge-infra"));
        Assert.True(project.Config["edge-infra:registryToken"].Secret);
        Assert.Equal("emea", YamlValue.Text(project.Config["edge-infra:region"].Value!));
    }

    [Theory]
    [InlineData("file://.edgeinfra", ".edgeinfra")]
    [InlineData("file://state/dir", "state/dir")]
    [InlineData("file://../shared-state", "../shared-state")]
    public void Load_RelativeFileBackend_ResolvesAgainstProjectDir(string url, string relative)
    {
        using var p = new ConfigTestProject($"name: x\nruntime: dotnet\nbackend:\n  url: {url}\n");
        var project = p.Load();
        Assert.Equal(url, project.BackendUrl);
        Assert.Equal(Path.GetFullPath(Path.Combine(p.Dir, relative)), project.StateRoot);
    }

    [Fact]
    public void Load_AbsoluteFileBackendAndStackConfigDir_AreUsedAsGiven()
    {
        using var p = new ConfigTestProject("name: x\nruntime: dotnet\nstackConfigDir: stacks\nbackend: { url: file:///srv/state }\n");
        var project = p.Load();
        Assert.Equal("/srv/state", project.StateRoot);
        Assert.Equal(Path.Combine(p.Dir, "stacks"), project.StackConfigDir);
        Assert.Equal(Path.Combine(p.Dir, "stacks", "Pulumi.prod.yaml"), project.StackFilePath("prod"));
    }

    public static TheoryData<string, string[]> BadProjects => new()
    {
        { "runtime: dotnet\n", ["Pulumi.yaml:1: project is missing a 'name' attribute"] },
        { "runtime: dotnet\nconfig:\n  a: 1\n", ["Pulumi.yaml:1: project is missing a 'name' attribute"] },
        { "name: edge-infra\n", ["Pulumi.yaml:1: project is missing a 'runtime' attribute"] },
        { "name: edge infra!\nruntime: dotnet\n",
            ["Pulumi.yaml:1: invalid project name 'edge infra!': project names may only contain alphanumerics, hyphens, underscores, and periods"] },
        { "name: x\nruntime: dotnet\nconfigs: {}\n", ["Pulumi.yaml:3: unknown project attribute 'configs'"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    type: integer\n    default: many\n",
            ["Pulumi.yaml:6: The default value specified for configuration key 'a' is not of the expected type 'integer'"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    type: string\n    default: 3\n",
            ["Pulumi.yaml:6: The default value specified for configuration key 'a' is not of the expected type 'string'"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    type: array\n",
            ["Pulumi.yaml:4: The configuration key 'a' declares an array but does not specify the underlying type via the 'items' attribute"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    type: array\n    items: { type: integer }\n    default: [1, two]\n",
            ["Pulumi.yaml:7: The default value specified for configuration key 'a' is not of the expected type 'array<integer>'"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    default: 1\n    value: 2\n",
            ["Pulumi.yaml:4: project config 'a' cannot have both a 'default' and 'value' attribute"] },
        { "name: x\nruntime: dotnet\nconfig:\n  aws:region:\n    type: string\n    value: eu\n",
            ["Pulumi.yaml:4: Configuration key 'aws:region' is not namespaced by the project and should not define a type"] },
        { "name: x\nruntime: dotnet\nconfig:\n  aws:region:\n    default: eu\n",
            ["Pulumi.yaml:4: Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
             "Pulumi.yaml:4: Configuration key 'aws:region' is namespaced and must provide an attribute 'value'"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    type: number\n",
            ["Pulumi.yaml:5: configuration key 'a' has an invalid type 'number': use string, integer, boolean, array or object"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a:\n    type: string\n    secrte: true\n",
            ["Pulumi.yaml:6: configuration key 'a' has an unknown attribute 'secrte' (expected one of: type, description, items, default, value, secret)"] },
        { "name: x\nruntime: dotnet\nconfig:\n  a: 1\n  x:a: 2\n", ["Pulumi.yaml:5: configuration key 'x:a' is declared twice (as 'x:a')"] },
        { "name: x\nruntime: dotnet\nbackend:\n  url: s3://bucket\n",
            ["Pulumi.yaml:4: backend url 's3://bucket' is not supported: EdgeInfra keeps state in a file backend (file://<dir>)"] },
        { "name: x\nruntime: dotnet\nconfig: stacks\nstackConfigDir: other\n",
            ["Pulumi.yaml:3: Should not use both config and stackConfigDir to define the stack config directory. Use only stackConfigDir instead."] },
        { "name: x\nruntime: [dotnet\n", ["Pulumi.yaml:3: invalid YAML"] },
    };

    [Theory]
    [MemberData(nameof(BadProjects))]
    public void Load_InvalidProject_ReportsEveryProblemWithFileAndLine(string yaml, string[] expected)
    {
        using var p = new ConfigTestProject(yaml);
        var e = Assert.Throws<ConfigException>(p.Load);
        var problems = e.Problems.Select(x => x.Replace(p.Dir + Path.DirectorySeparatorChar, "")).ToList();
        Assert.Equal(expected.Length, problems.Count);
        for (var i = 0; i < expected.Length; i++) Assert.StartsWith(expected[i], problems[i]);
    }

    [Fact]
    public void Load_SeveralBadKeys_ReportsAllAtOnce()
    {
        using var p = new ConfigTestProject("name: x\nruntime: dotnet\nconfig:\n  a:\n    type: array\n  b:\n    type: integer\n    default: no\n  k8s:c: {}\n");
        var e = Assert.Throws<ConfigException>(p.Load);
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(":4: ", e.Problems[0]);
        Assert.Contains(":8: ", e.Problems[1]);
        Assert.Contains(":9: ", e.Problems[2]);
    }

    [Fact]
    public void Find_FromNestedDirectory_ReturnsNearestProject()
    {
        using var p = new ConfigTestProject();
        var nested = Directory.CreateDirectory(Path.Combine(p.Dir, "a", "b")).FullName;
        Assert.Equal(p.ProjectPath, ProjectLocator.Find(nested));
        Assert.Equal("edge-infra", ProjectLocator.Load(nested).Name);
        Assert.Equal("edge-infra", ProjectFile.Load(p.Dir).Name);
    }

    [Fact]
    public void Find_NoProjectUpward_FailsSuggestingCwd()
    {
        var dir = Directory.CreateTempSubdirectory("edgeinfra-noproj-").FullName;
        try
        {
            // Assumes no Pulumi.yaml in the temp directory's ancestors (true on CI and dev machines).
            Assert.Null(ProjectLocator.TryFind(dir));
            Assert.Contains("use --cwd", Assert.Throws<ConfigException>(() => ProjectLocator.Find(dir)).Message);
            Assert.EndsWith("no Pulumi.yaml in this directory", Assert.Throws<ConfigException>(() => ProjectFile.Load(dir)).Message);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Find_YmlExtension_IsAccepted()
    {
        using var p = new ConfigTestProject();
        File.Move(p.ProjectPath, Path.Combine(p.Dir, "Pulumi.yml"));
        Assert.Equal(Path.Combine(p.Dir, "Pulumi.yml"), ProjectLocator.Find(p.Dir));
    }

    [Fact]
    public void StackFilePath_PathCharacters_AreRejected()
    {
        using var p = new ConfigTestProject();
        Assert.Throws<ConfigException>(() => p.Load().StackFilePath("../etc"));
    }
}
