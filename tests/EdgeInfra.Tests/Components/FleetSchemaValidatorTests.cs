using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Rendering;

namespace EdgeInfra.Tests.Components;

/// <summary>The product's validator: which rendered files it judges, and how it names a violation.</summary>
public sealed class FleetSchemaValidatorTests
{
    [Fact]
    public void Kinds_EmbeddedCrds_CoverEveryObjectWeRender() =>
        Assert.Superset(new HashSet<string> { "Bundle", "Cluster", "ClusterGroup", "GitRepo", "BundleDeployment" },
            FleetSchemaValidator.Kinds.ToHashSet());

    [Theory]
    [InlineData("apps/pos-app/r1/fleet.yaml", "rolloutStrategy:\n  maxUnavaliable: 1\n", "apps/pos-app/r1/fleet.yaml: $.rolloutStrategy.maxUnavaliable: unknown field")]
    [InlineData("hub/fleet.yaml", "targetCustomizations:\n  name: x\n", "hub/fleet.yaml: $.targetCustomizations: wrong type, expected array")]
    [InlineData("hub/clusters/s1.yaml", "apiVersion: fleet.cattle.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: s1\nspec:\n  pause: true\n", "hub/clusters/s1.yaml: $.spec.pause: unknown field")]
    [InlineData("hub/gitrepos/r1.yaml", "apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata:\n  name: r1\nspec:\n  repo: x\n  paths: a\n", "hub/gitrepos/r1.yaml: $.spec.paths: wrong type, expected array")]
    [InlineData("hub/x.yaml", "apiVersion: fleet.cattle.io/v1alpha1\nkind: Clustr\nmetadata:\n  name: a\n", "hub/x.yaml: $.kind: 'Clustr' is not a kind of fleet.cattle.io")]
    [InlineData("hub/two.yaml", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: fleet.cattle.io/v1alpha1\nkind: ClusterGroup\nmetadata:\n  name: g\nspec:\n  selector:\n    matchLabel: {}\n", "hub/two.yaml (document 2): $.spec.selector.matchLabel: unknown field")]
    [InlineData("apps/pos-app/r1/extra.yml", "apiVersion: fleet.cattle.io/v1alpha1\nkind: GitRepo\nmetadata:\n  name: x\nspec:\n  repo: r\n  brnch: main\n", "apps/pos-app/r1/extra.yml: $.spec.brnch: unknown field")]
    [InlineData("hub/bad.yaml", "apiVersion: fleet.cattle.io/v1alpha1\nkind: [\n", "hub/bad.yaml:3: not valid YAML")]
    public void ValidateFile_Violation_NamesFileAndJsonPath(string path, string content, string expected)
    {
        var problems = FleetSchemaValidator.ValidateFile(new RenderedFile(path, content));

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("apps/pos-app/r1/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nbogus: 1\n")]
    [InlineData("apps/pos-app/r1/values.json", "{\"maxUnavaliable\": 1}")]
    [InlineData("hub/clusters/s1.yaml", "apiVersion: fleet.cattle.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: s1\n  labels: {ring: r1}\nspec:\n  paused: true\n")]
    public void ValidateFile_NotFleetsOrValid_NoProblems(string path, string content) =>
        Assert.Empty(FleetSchemaValidator.ValidateFile(new RenderedFile(path, content)));
}
